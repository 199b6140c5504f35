// Retries of one remote request: 429, 5xx, timeouts and dropped connections are retried with bounded
// exponential backoff and full jitter, a server's Retry-After wins over the backoff (capped too).
// Randomness and sleep are injected so tests are deterministic and fast.
import { APIConnectionError, APIError } from 'openai';

export interface RetryPolicy {
  maxRetries: number;
  /** First delay in seconds; doubles per retry. */
  backoffS: number;
  /** Longest single wait, Retry-After included. */
  maxBackoffS: number;
  /** Uniform in [0, 1). */
  random(): number;
  sleep(ms: number): Promise<void>;
}

export interface RetryOutcome<T> {
  value?: T;
  /** Why the last attempt failed when every attempt did (value absent). */
  failure?: string;
  requests: number;
  retries: number;
}

/** Whether an error from the openai client is worth another try. */
export function isRetryable(error: unknown): boolean {
  // APIConnectionTimeoutError extends APIConnectionError: resets, refused connections and timeouts
  if (error instanceof APIConnectionError) return true;
  if (error instanceof APIError) return error.status === 429 || error.status === 408 || (error.status ?? 0) >= 500;
  return false;
}

/** Seconds a Retry-After header asks for (delta-seconds or an HTTP date), or undefined. */
export function retryAfterSeconds(error: unknown, nowMs: number): number | undefined {
  if (!(error instanceof APIError) || error.headers === undefined) return undefined;
  const value = error.headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - nowMs) / 1000);
}

/** The wait before retry number `retry` (0-based): Retry-After if given, else full jitter over 2^retry·base. */
export function retryDelayS(policy: RetryPolicy, retry: number, retryAfter: number | undefined): number {
  if (retryAfter !== undefined) return Math.min(retryAfter, policy.maxBackoffS);
  const ceiling = Math.min(policy.maxBackoffS, policy.backoffS * 2 ** retry);
  return ceiling * policy.random();
}

/** Runs `attempt` until it succeeds, fails for good, or retries run out; never throws for retryable errors. */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: () => Promise<T>,
  nowMs: () => number = () => 0,
): Promise<RetryOutcome<T>> {
  let requests = 0;
  for (;;) {
    requests += 1;
    try {
      return { value: await attempt(), requests, retries: requests - 1 };
    } catch (error) {
      const message = describeError(error);
      if (!isRetryable(error)) return { failure: message, requests, retries: requests - 1 };
      if (requests > policy.maxRetries) {
        return { failure: `${message} (gave up after ${requests} requests)`, requests, retries: requests - 1 };
      }
      await policy.sleep(1000 * retryDelayS(policy, requests - 1, retryAfterSeconds(error, nowMs())));
    }
  }
}

function describeError(error: unknown): string {
  if (error instanceof APIError && error.status !== undefined) return `HTTP ${error.status}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

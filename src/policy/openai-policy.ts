// A policy played by any OpenAI-compatible server (vLLM, llama-server, Ollama, TGI, a hosted API) through
// the `openai` npm client. Each conversation is one request, up to `concurrency` in flight; each request is
// retried per src/policy/retry.ts. A conversation whose requests keep failing gets a failure instead of a
// reply, so the episode loop ends just that episode (`policy_error`) and the others go on.
import OpenAI from 'openai';
import type { Message } from '../data/schemas.ts';
import type { ActOptions, DetailedPolicy, OpenedPolicy, PolicyFactory, PolicyTurn } from '../agent/policy.ts';
import { cutAtStop } from '../agent/local-policy.ts';
import { renderChat } from '../model/chat.ts';
import { Rng } from '../rng.ts';
import type { FitsContext } from './context-window.ts';
import type { OpenAiPolicyOptions } from './openai-options.ts';
import { withRetries, type RetryPolicy } from './retry.ts';

export interface OpenAiPolicyDeps {
  /** Waits between retries (tests pass a fast or recording one). */
  sleep?(ms: number): Promise<void>;
  /** Seeds the retry jitter. */
  jitterSeed?: number;
  /** Prompt text for `endpoint: completions` (default: eto's own chat template with the assistant header). */
  renderPrompt?(messages: readonly Message[]): string;
  /** Whether a context fits the served model's window (context-window.ts); without it nothing is dropped. */
  fits?: FitsContext;
}

/** OpenAI's API caps stop sequences at 4; ETO has 3. */
const MAX_STOPS = 4;

export function openAiPolicies(options: OpenAiPolicyOptions, apiKey?: string, deps: OpenAiPolicyDeps = {}): PolicyFactory {
  return {
    kind: 'openai',
    // the server serves one model: every checkpoint dir the pipeline asks for is played by it
    open: async (): Promise<OpenedPolicy> => {
      const client = new OpenAI({
        baseURL: options.baseUrl,
        // local servers need no key, but the client insists on one
        apiKey: apiKey ?? 'no-key',
        maxRetries: 0,
        timeout: options.timeoutS * 1000,
      });
      return { policy: createOpenAiPolicy(client, options, deps), close: () => {} };
    },
  };
}

export function createOpenAiPolicy(client: OpenAI, options: OpenAiPolicyOptions, deps: OpenAiPolicyDeps = {}): DetailedPolicy {
  const rng = new Rng(deps.jitterSeed ?? 0);
  const retry: RetryPolicy = {
    maxRetries: options.maxRetries,
    backoffS: options.backoffS,
    maxBackoffS: options.maxBackoffS,
    random: () => rng.next(),
    sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
  const render = deps.renderPrompt ?? ((messages) => renderChat(messages, true));

  const requestOne = async (conversation: Message[], act: ActOptions): Promise<PolicyTurn> => {
    const sampling = {
      model: options.model,
      temperature: act.temperature,
      top_p: act.topP,
      seed: act.seed,
      max_tokens: act.maxNewTokens,
      stop: act.stop.slice(0, MAX_STOPS),
    };
    const outcome = await withRetries(
      retry,
      async () => {
        if (options.endpoint === 'completions') {
          const reply = await client.completions.create({ ...sampling, prompt: render(conversation) });
          return { text: reply.choices[0]?.text ?? '', model: reply.model, usage: reply.usage };
        }
        const reply = await client.chat.completions.create({ ...sampling, messages: conversation });
        return { text: reply.choices[0]?.message.content ?? '', model: reply.model, usage: reply.usage };
      },
      () => Date.now(),
    );
    const usage = {
      model: outcome.value?.model ?? options.model,
      requests: outcome.requests,
      retries: outcome.retries,
      promptTokens: outcome.value?.usage?.prompt_tokens ?? 0,
      completionTokens: outcome.value?.usage?.completion_tokens ?? 0,
    };
    if (outcome.value === undefined) return { text: '', failure: outcome.failure ?? 'request failed', usage };
    // servers differ on whether stop strings are cut: cut again (a no-op where the server did)
    return { text: cutAtStop(outcome.value.text, act.stop), usage };
  };

  const actTurns = (conversations: Message[][], act: ActOptions): Promise<PolicyTurn[]> =>
    mapConcurrent(conversations, options.concurrency, (conversation, index) =>
      // each conversation gets its own seed so that equal contexts in one batch may differ
      requestOne(conversation, { ...act, seed: act.seed + index }),
    );

  return {
    name: `openai:${options.model}`,
    actTurns,
    act: async (conversations, act) => (await actTurns(conversations, act)).map((turn) => turn.text),
    ...(deps.fits ? { fits: deps.fits } : {}),
  };
}

/** `fn` over `items` with at most `limit` calls pending, results in input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

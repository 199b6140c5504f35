// Continuous batching over one KV cache: every live sequence advances by one token per step in a single decode
// call, and sequences that arrive while others run are prefilled into free slots and join at the next step.
// Slots keep what they hold after their sequence ends, so a request sharing a prefix with an earlier one (the
// same system prompt, the same conversation one turn later) prefills only the rest.
// A bounded queue holds what does not fit yet. Decides nothing about text, stop strings or HTTP.
import type { LlamaModel } from '../model/llama.ts';
import { createKvDecoder, decode, type KvDecoder } from '../model/kv-cache.ts';
import { runPlan } from '../model/prefix-cache.ts';
import { planPrefixes } from '../model/prefix-plan.ts';
import { argmax, sampleToken } from '../model/sampler.ts';
import type { Rng } from '../rng.ts';
import { ApiError } from './api-error.ts';
import { tokenLogprob, type TokenLogprob } from './token-logprobs.ts';

/** 'error': the model failed (a bug); the request gets a 500 */
export type EndReason = 'stop' | 'length' | 'cancelled' | 'error';

/** One sequence to continue (one choice of a request). */
export interface SequenceJob {
  prompt: Int32Array; // (P), 0 < P < contextLength, ids inside the vocabulary (the caller checks)
  maxNewTokens: number; // ≥ 1
  /** 0 = greedy */
  temperature: number;
  topP: number;
  rng: Rng;
  /** alternatives per token for logprobs; undefined = no logprobs */
  topLogprobs?: number;
  /** after each appended token (end-of-turn is never appended); true ends the sequence with 'stop' */
  onToken(token: number, logprob: TokenLogprob | undefined): boolean;
  onEnd(reason: EndReason): void;
  /** checked before each step: true drops the sequence (its client went away) */
  isCancelled(): boolean;
}

export interface BatcherOptions {
  /** most sequences decoded together (KV-cache slots) */
  maxBatch: number;
  /** most sequences waiting for a slot; beyond it submit() refuses with 429 */
  maxQueue: number;
  stopTokenIds: number[];
  /** positions per sequence (prompt + generated), at most the model's; the KV cache holds maxBatch × this */
  contextLength?: number;
}

export interface BatcherStats {
  steps: number;
  /** decoded tokens summed over steps; tokens / steps = mean batch size */
  tokens: number;
  largestBatch: number;
  /** prompt tokens admitted, and how many of them came from the cache instead of a prefill (prefix caching) */
  promptTokens: number;
  cachedPromptTokens: number;
}

/** `tokens`: prompt + generated so far; the slot's cache holds the first `cached` of them (all but the pending one). */
interface Live { job: SequenceJob; slot: number; tokens: number[]; cached: number; generated: number; pending: number }

/** Lets the event loop read new requests and flush streamed tokens between steps. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Prefill rows per chunk (matrix-matrix kernels; the scratch grows with it). */
const PREFILL_ROWS = 1024;

export class ContinuousBatcher {
  private readonly decoder: KvDecoder;
  private readonly waiting: SequenceJob[] = [];
  private live: Live[] = []; // row i of a decode step is live[i], in cache slot live[i].slot
  /** per slot: the tokens its cache holds; a finished sequence's stay there for later requests to reuse */
  private held: Int32Array[];
  private readonly busy: boolean[];
  private running = false;
  private readonly stopIds: Set<number>;
  private readonly scratch: Float64Array;
  private readonly sorted: Float64Array;
  /** positions per sequence: prompts must be shorter, and a sequence that reaches it ends with 'length' */
  readonly contextLength: number;
  readonly stats: BatcherStats = { steps: 0, tokens: 0, largestBatch: 0, promptTokens: 0, cachedPromptTokens: 0 };

  constructor(private readonly model: LlamaModel, private readonly options: BatcherOptions) {
    const maxT = options.contextLength ?? model.config.maxPositionEmbeddings;
    if (!Number.isInteger(maxT) || maxT < 2 || maxT > model.config.maxPositionEmbeddings) {
      throw new RangeError(`context length ${maxT} is outside 2..${model.config.maxPositionEmbeddings}`);
    }
    this.contextLength = maxT;
    this.decoder = createKvDecoder(model, options.maxBatch, maxT, Math.max(options.maxBatch, PREFILL_ROWS));
    this.held = Array.from({ length: options.maxBatch }, () => new Int32Array(0));
    this.busy = new Array<boolean>(options.maxBatch).fill(false);
    this.stopIds = new Set(options.stopTokenIds);
    this.scratch = new Float64Array(model.config.vocabSize);
    this.sorted = new Float64Array(model.config.vocabSize);
  }

  /** Queues all choices of one request, or none of them (429 when the queue cannot take them all). */
  submit(jobs: SequenceJob[]): void {
    if (this.waiting.length + jobs.length > this.options.maxQueue) {
      throw new ApiError(429, `the server is busy: ${this.waiting.length} sequences wait for a slot ` +
        `(limit ${this.options.maxQueue}); retry shortly`, 'rate_limit_error', null, 'queue_full');
    }
    this.waiting.push(...jobs);
    if (!this.running) void this.run();
  }

  /** Sequences waiting and decoding now. */
  get load(): { waiting: number; live: number } {
    return { waiting: this.waiting.length, live: this.live.length };
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.live.length > 0 || this.waiting.length > 0) {
        try {
          this.step();
        } catch {
          this.failAll(); // never leave a request hanging, never take the server down
        }
        await nextTurn();
      }
    } finally {
      this.running = false;
    }
  }

  private step(): void {
    for (const seq of this.live) {
      if (seq.pending >= 0 && seq.job.isCancelled()) {
        seq.pending = -1;
        seq.job.onEnd('cancelled');
      }
    }
    this.release();
    if (this.live.length > 0) {
      const d = this.decoder;
      this.live.forEach((seq, row) => {
        d.tokens[row] = seq.pending;
        d.positions[row] = seq.cached;
        d.rowSlots[row] = seq.slot;
        seq.cached += 1;
      });
      decode(d, this.live.length); // logits (live, V)
      this.stats.steps++;
      this.stats.tokens += this.live.length;
      this.stats.largestBatch = Math.max(this.stats.largestBatch, this.live.length);
      this.live.forEach((seq, row) => this.advance(seq, row));
      this.release();
    }
    this.admit();
  }

  /**
   * Prefills waiting jobs into free slots and samples their first token. A prompt reuses what any slot holds
   * (a finished sequence's tokens, a live one's prompt): only the rest is prefilled, like vLLM's prefix caching.
   */
  private admit(): void {
    const jobs: SequenceJob[] = [];
    while (this.live.length + jobs.length < this.options.maxBatch && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      if (job.isCancelled()) job.onEnd('cancelled');
      else jobs.push(job);
    }
    if (jobs.length === 0) return;
    const held = [...this.held];
    for (const seq of this.live) held[seq.slot] = Int32Array.from(seq.tokens.slice(0, seq.cached));
    const prompts = jobs.map((job) => job.prompt);
    const plan = planPrefixes(held, prompts, this.busy.map((busy) => !busy));
    runPlan(this.decoder, prompts, plan); // logits (jobs, V)
    const admitted = jobs.map((job, g): Live => {
      const slot = plan.slotOf[g]!;
      this.busy[slot] = true;
      this.stats.promptTokens += job.prompt.length;
      this.stats.cachedPromptTokens += plan.start[g]!;
      return { job, slot, tokens: Array.from(job.prompt), cached: job.prompt.length, generated: 0, pending: -1 };
    });
    this.live.push(...admitted);
    admitted.forEach((seq, g) => this.advance(seq, g));
    this.release();
  }

  /** Picks the next token of the sequence from logits row `row`; marks it ended (pending = −1) when done. */
  private advance(seq: Live, row: number): void {
    const V = this.model.config.vocabSize;
    const { job } = seq;
    const logits = this.decoder.logits;
    const token = job.temperature === 0
      ? argmax(logits, row * V, V)
      : sampleToken(logits, row * V, V, job.temperature, job.topP, job.rng, this.scratch, this.sorted);
    seq.pending = -1;
    if (this.stopIds.has(token)) return job.onEnd('stop');
    seq.generated++;
    seq.tokens.push(token);
    const logprob = job.topLogprobs === undefined
      ? undefined
      : tokenLogprob(logits, row * V, V, token, job.topLogprobs);
    if (job.onToken(token, logprob)) return job.onEnd('stop');
    if (seq.generated >= job.maxNewTokens || seq.tokens.length >= this.decoder.maxT) return job.onEnd('length');
    seq.pending = token;
  }

  /** Drops ended sequences; their slots become free and keep what their caches hold. */
  private release(): void {
    const ended = this.live.filter((seq) => seq.pending < 0);
    if (ended.length === 0) return;
    for (const seq of ended) {
      this.busy[seq.slot] = false;
      this.held[seq.slot] = Int32Array.from(seq.tokens.slice(0, seq.cached));
    }
    this.live = this.live.filter((seq) => seq.pending >= 0);
  }

  private failAll(): void {
    const jobs = [...this.live.map((seq) => seq.job), ...this.waiting.splice(0)];
    this.live = [];
    // after a failure mid-step no cache content is trusted
    this.held = this.held.map(() => new Int32Array(0));
    this.busy.fill(false);
    for (const job of jobs) {
      try {
        job.onEnd('error');
      } catch {
        // its response is already broken; the others still get theirs
      }
    }
  }
}


// Continuous batching over one KV cache: every live sequence advances by one token per step in a single decode
// call, and sequences that arrive while others run are prefilled into free slots and join at the next step.
// A bounded queue holds what does not fit yet. Decides nothing about text, stop strings or HTTP.
import type { LlamaModel } from '../model/llama.ts';
import { createKvDecoder, decode, moveSlot, prefillGroup, prefillLogits, type KvDecoder } from '../model/kv-cache.ts';
import { argmax, sampleToken } from '../model/sampler.ts';
import type { Rng } from '../rng.ts';
import { ApiError } from './api-error.ts';
import { tokenLogprob, type TokenLogprob } from './token-logprobs.ts';

/** 'error': the model failed (a bug); the request gets a 500 */
export type EndReason = 'stop' | 'length' | 'cancelled' | 'error';

/** One sequence to continue (one choice of a request). */
export interface SequenceJob {
  prompt: Int32Array; // (P), 0 < P < maxPositionEmbeddings, ids inside the vocabulary (the caller checks)
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
}

export interface BatcherStats {
  steps: number;
  /** decoded tokens summed over steps; tokens / steps = mean batch size */
  tokens: number;
  largestBatch: number;
}

interface Live { job: SequenceJob; length: number; generated: number; pending: number }

/** Lets the event loop read new requests and flush streamed tokens between steps. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class ContinuousBatcher {
  private readonly decoder: KvDecoder;
  private readonly waiting: SequenceJob[] = [];
  private live: Live[] = []; // live[i] sits in cache slot i
  private running = false;
  private readonly stopIds: Set<number>;
  private readonly scratch: Float64Array;
  private readonly sorted: Float64Array;
  readonly stats: BatcherStats = { steps: 0, tokens: 0, largestBatch: 0 };

  constructor(private readonly model: LlamaModel, private readonly options: BatcherOptions) {
    const maxT = model.config.maxPositionEmbeddings;
    // prefill scratch rows: a whole context, or several short prompts at once
    this.decoder = createKvDecoder(model, options.maxBatch, maxT, Math.max(options.maxBatch, maxT, 4096));
    this.stopIds = new Set(options.stopTokenIds);
    this.scratch = new Float64Array(model.config.vocabSize);
    this.sorted = new Float64Array(model.config.vocabSize);
  }

  /** Queues all choices of one request, or none of them (429 when the queue cannot take them all). */
  submit(jobs: SequenceJob[]): void {
    if (this.waiting.length + jobs.length > this.options.maxQueue) {
      throw new ApiError(429, `the server is busy: ${this.waiting.length} sequences wait for a slot (limit ${this.options.maxQueue}); ` +
        'retry shortly', 'rate_limit_error', null, 'queue_full');
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
    this.compact();
    if (this.live.length > 0) {
      const d = this.decoder;
      this.live.forEach((seq, slot) => {
        d.tokens[slot] = seq.pending;
        d.positions[slot] = seq.length - 1;
      });
      decode(d, this.live.length); // logits (live, V)
      this.stats.steps++;
      this.stats.tokens += this.live.length;
      this.stats.largestBatch = Math.max(this.stats.largestBatch, this.live.length);
      this.live.forEach((seq, slot) => this.advance(seq, slot));
      this.compact();
    }
    this.admit();
  }

  /** Prefills waiting jobs into the free slots after the live ones and samples their first token. */
  private admit(): void {
    const base = this.live.length;
    const jobs: SequenceJob[] = [];
    while (base + jobs.length < this.options.maxBatch && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      if (job.isCancelled()) job.onEnd('cancelled');
      else jobs.push(job);
    }
    if (jobs.length === 0) return;
    for (const group of prefillGroups(jobs.map((j) => j.prompt.length), this.decoder.rows)) {
      prefillGroup(this.decoder, group.map((g) => jobs[g]!.prompt), group.map((g) => base + g));
    }
    // rows of the live slots are recomputed from stale state and ignored: their next token is already pending
    prefillLogits(this.decoder, base + jobs.length);
    const admitted = jobs.map((job) => ({ job, length: job.prompt.length, generated: 0, pending: -1 }));
    this.live.push(...admitted);
    admitted.forEach((seq, g) => this.advance(seq, base + g));
    this.compact();
  }

  /** Picks the next token of the sequence in `slot` from its logits row; marks it ended (pending = −1) when done. */
  private advance(seq: Live, slot: number): void {
    const V = this.model.config.vocabSize;
    const { job } = seq;
    const logits = this.decoder.logits;
    const token = job.temperature === 0
      ? argmax(logits, slot * V, V)
      : sampleToken(logits, slot * V, V, job.temperature, job.topP, job.rng, this.scratch, this.sorted);
    seq.pending = -1;
    if (this.stopIds.has(token)) return job.onEnd('stop');
    seq.generated++;
    seq.length++;
    const logprob = job.topLogprobs === undefined ? undefined : tokenLogprob(logits, slot * V, V, token, job.topLogprobs);
    if (job.onToken(token, logprob)) return job.onEnd('stop');
    if (seq.generated >= job.maxNewTokens || seq.length >= this.decoder.maxT) return job.onEnd('length');
    seq.pending = token;
  }

  /**
   * Drops ended sequences so that live[i] sits in slot i again: each hole is filled by the last live sequence
   * (one cache copy per ended sequence, not a shift of every later one).
   */
  private compact(): void {
    const live = this.live;
    let end = live.length;
    for (let slot = 0; slot < end; slot++) {
      if (live[slot]!.pending >= 0) continue;
      while (end > slot + 1 && live[end - 1]!.pending < 0) end--;
      end--;
      if (end === slot) break;
      const last = live[end]!;
      // the cache holds every token but the pending one
      moveSlot(this.decoder, end, slot, last.length - 1);
      live[slot] = last;
    }
    live.length = end;
  }

  private failAll(): void {
    const jobs = [...this.live.map((seq) => seq.job), ...this.waiting.splice(0)];
    this.live = [];
    for (const job of jobs) {
      try {
        job.onEnd('error');
      } catch {
        // its response is already broken; the others still get theirs
      }
    }
  }
}

/** Indices grouped for prefill: consecutive in length order, each group's rows (count × longest) ≤ rows. */
function prefillGroups(lengths: number[], rows: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a]! - lengths[b]!);
  const groups: number[][] = [];
  for (const i of order) {
    const group = groups[groups.length - 1];
    if (group && (group.length + 1) * lengths[i]! <= rows) group.push(i);
    else groups.push([i]);
  }
  return groups;
}

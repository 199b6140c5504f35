// Turns trajectories and pairs into token sequences with loss masks for sequenceLogProbs.
// SFT scores every assistant token (the chat encoder's assistant mask, "OK" included, as ETO's SFT);
// DPO scores only the assistant tokens after the prompt. An SFT sequence longer than the context is cut at the end;
// a DPO side is cut in its unscored shared prompt first (oldest tokens after the first), so the turns where chosen
// and rejected differ stay whole; only a continuation longer than the context itself loses its tail.
import type { Message, Pair } from '../data/schemas.ts';
import type { ChatFormat } from '../chat/chat-format.ts';
import type { ScoredBatch } from '../model/sequence-logprobs.ts';

export interface EncodedSequence {
  ids: Int32Array; // (T)
  mask: Uint8Array; // (T) 1 = scored given the tokens before it
}

export interface EncodedPair {
  id: string;
  chosen: EncodedSequence;
  rejected: EncodedSequence;
  /** How the longer-cut side was fitted into the context (absent = 'none'). */
  cut?: PairCut;
}

/** none: fits; prompt: prompt tokens dropped, every scored token kept; tail: scored tokens lost at the end. */
export type PairCut = 'none' | 'prompt' | 'tail';

export function encodeMessages(
  chat: ChatFormat, messages: Message[], maxLength: number, firstScored = 0,
): EncodedSequence {
  const { ids, assistantMask } = chat.encodeChat(messages, firstScored);
  const mask = Uint8Array.from(assistantMask);
  mask[0] = 0; // the first token has no context to be scored from
  return cut({ ids, mask }, maxLength);
}

/** prompt + one side, with the prompt's tokens unscored; over maxLength, the prompt is shortened first. */
export function encodeContinuation(
  chat: ChatFormat,
  prompt: Message[],
  continuation: Message[],
  maxLength: number,
): EncodedSequence {
  return fitContinuation(chat, prompt, continuation, maxLength).sequence;
}

export function encodePair(chat: ChatFormat, pair: Pair, maxLength: number): EncodedPair {
  const chosen = fitContinuation(chat, pair.prompt, pair.chosen, maxLength);
  const rejected = fitContinuation(chat, pair.prompt, pair.rejected, maxLength);
  const order: PairCut[] = ['none', 'prompt', 'tail'];
  const cut = order[Math.max(order.indexOf(chosen.cut), order.indexOf(rejected.cut))]!;
  return { id: pair.id, chosen: chosen.sequence, rejected: rejected.sequence, ...(cut === 'none' ? {} : { cut }) };
}

function fitContinuation(
  chat: ChatFormat,
  prompt: Message[],
  continuation: Message[],
  maxLength: number,
): { sequence: EncodedSequence; cut: PairCut } {
  const full = encodeMessages(chat, [...prompt, ...continuation], Number.MAX_SAFE_INTEGER, prompt.length);
  // the prompt's tokens as they stand in the whole conversation (a template may tokenize its end differently)
  const promptLength = commonPrefixLength(chat.encodeChat(prompt).ids, full.ids);
  full.mask.fill(0, 0, Math.min(promptLength, full.mask.length));
  const excess = full.ids.length - maxLength;
  if (excess <= 0) return { sequence: full, cut: 'none' };
  // keep the first token (the start of the conversation) and drop the oldest prompt tokens after it
  const droppable = Math.max(0, promptLength - 1);
  const drop = Math.min(excess, droppable);
  const keep = (a: Int32Array | Uint8Array) => [a[0]!, ...a.subarray(1 + drop)];
  const shortened = { ids: Int32Array.from(keep(full.ids)), mask: Uint8Array.from(keep(full.mask)) };
  shortened.mask[0] = 0;
  if (drop === excess) return { sequence: shortened, cut: 'prompt' };
  return { sequence: cut(shortened, maxLength), cut: 'tail' };
}

function commonPrefixLength(a: Int32Array, b: Int32Array): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** How many pairs were fitted by shortening their prompt, and how many lost scored tokens too. */
export function countPairCuts(pairs: readonly EncodedPair[]): { prompt: number; tail: number } {
  return {
    prompt: pairs.filter((p) => p.cut === 'prompt').length,
    tail: pairs.filter((p) => p.cut === 'tail').length,
  };
}

/** The batch sequenceLogProbs scores, from encoded sequences. */
export function toScoredBatch(sequences: readonly EncodedSequence[]): ScoredBatch {
  return { ids: sequences.map((s) => s.ids), mask: sequences.map((s) => s.mask) };
}

/** One batch for a set of pairs: the P chosen sequences, then the P rejected. */
export function pairBatch(pairs: readonly EncodedPair[]): ScoredBatch {
  return toScoredBatch([...pairs.map((p) => p.chosen), ...pairs.map((p) => p.rejected)]);
}

function cut(sequence: EncodedSequence, maxLength: number): EncodedSequence {
  if (sequence.ids.length <= maxLength) return sequence;
  return { ids: sequence.ids.slice(0, maxLength), mask: sequence.mask.slice(0, maxLength) };
}

// Turns trajectories and pairs into token sequences with loss masks for sequenceLogProbs.
// SFT scores every assistant token (the chat encoder's assistant mask, "OK" included, as ETO's SFT);
// DPO scores only the assistant tokens after the prompt. Sequences longer than the context are cut at the end.
import type { Message, Pair } from '../data/schemas.ts';
import { encodeChat } from '../model/chat.ts';
import type { ScoredBatch } from '../model/sequence-logprobs.ts';
import type { Tokenizer } from '../model/tokenizer.ts';

export interface EncodedSequence {
  ids: Int32Array; // (T)
  mask: Uint8Array; // (T) 1 = scored given the tokens before it
}

export interface EncodedPair {
  id: string;
  chosen: EncodedSequence;
  rejected: EncodedSequence;
}

export function encodeMessages(tokenizer: Tokenizer, messages: Message[], maxLength: number): EncodedSequence {
  const { ids, assistantMask } = encodeChat(tokenizer, messages);
  const mask = Uint8Array.from(assistantMask);
  mask[0] = 0; // the first token has no context to be scored from
  return cut({ ids, mask }, maxLength);
}

/** prompt + one side, with the prompt's tokens unscored. */
export function encodeContinuation(tokenizer: Tokenizer, prompt: Message[], continuation: Message[], maxLength: number): EncodedSequence {
  const promptLength = encodeChat(tokenizer, prompt).ids.length;
  const full = encodeMessages(tokenizer, [...prompt, ...continuation], Number.MAX_SAFE_INTEGER);
  full.mask.fill(0, 0, Math.min(promptLength, full.mask.length));
  return cut(full, maxLength);
}

export function encodePair(tokenizer: Tokenizer, pair: Pair, maxLength: number): EncodedPair {
  return {
    id: pair.id,
    chosen: encodeContinuation(tokenizer, pair.prompt, pair.chosen, maxLength),
    rejected: encodeContinuation(tokenizer, pair.prompt, pair.rejected, maxLength),
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

// Character spans of a rendered text → a per-token mask over the text's tokens. Written against a minimal
// tokenizer (encode only, no special tokens added), so any tokenizer fits. When encoding the pieces between span
// boundaries separately gives the same ids as the whole text, the boundaries fall between tokens and the mask is
// exact. Otherwise a token that straddles a boundary counts as inside the span (as transformers' char_to_token
// marking does): the span starts at the first token that differs from the prefix's own encoding and ends after
// the last token that differs from the suffix's.
import type { CharSpan } from './chat-template.ts';

export interface TextTokenizer {
  /** Token ids of `text`, special-token strings recognised, no BOS/EOS added. */
  encode(text: string): number[];
}

export interface MaskedTokens {
  ids: Int32Array; // (T)
  mask: Uint8Array; // (T) 1 = inside a span
}

export function spansToTokenMask(tokenizer: TextTokenizer, text: string, spans: readonly CharSpan[]): MaskedTokens {
  const ids = tokenizer.encode(text);
  const mask = new Uint8Array(ids.length);
  const cuts = [...new Set([0, ...spans.flatMap((s) => [s.start, s.end]), text.length])].sort((a, b) => a - b);
  const tokenAt = new Map<number, number>(); // char offset → token index, when the pieces tokenize alike
  const pieceIds: number[] = [];
  for (let i = 0; i < cuts.length; i++) {
    tokenAt.set(cuts[i] as number, pieceIds.length);
    if (i + 1 < cuts.length) pieceIds.push(...tokenizer.encode(text.slice(cuts[i], cuts[i + 1])));
  }
  const aligned = pieceIds.length === ids.length && pieceIds.every((id, i) => id === ids[i]);
  for (const span of spans) {
    if (span.end <= span.start) continue;
    const start = aligned ? (tokenAt.get(span.start) as number) : commonPrefix(tokenizer.encode(text.slice(0, span.start)), ids);
    const end = aligned
      ? (tokenAt.get(span.end) as number)
      : ids.length - commonSuffix(tokenizer.encode(text.slice(span.end)), ids);
    mask.fill(1, start, Math.max(start, end));
  }
  return { ids: Int32Array.from(ids), mask };
}

function commonPrefix(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function commonSuffix(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

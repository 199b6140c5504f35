// GPT-2's byte-level alphabet: every byte maps to one printable Unicode character, so BPE can work on
// strings while round-tripping arbitrary bytes. Also the pre-tokenizer regex HF's ByteLevel uses.

import { bytesToChars } from '../tokenizer/byte-alphabet.ts';

// one table for eto's tokenizer and the tokenizer.json loader
export { BYTE_TO_CHAR, CHAR_TO_BYTE, bytesToChars } from '../tokenizer/byte-alphabet.ts';

/** GPT-2's pre-tokenization pattern (contractions, letters, numbers, other symbols, whitespace). */
export const PRE_TOKENIZE = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** Splits text into pre-tokens, each already mapped to byte-level characters. */
export function preTokenize(text: string): string[] {
  const pieces = text.match(PRE_TOKENIZE) ?? [];
  return pieces.map(bytesToChars);
}

// The UTF-8 bytes and display text of each vocabulary entry, for logprobs (`bytes` and `token`): a byte-level
// token may hold part of a character, so its text alone cannot give its bytes.
import { CHAR_TO_BYTE } from '../model/byte-level.ts';
import type { Tokenizer } from '../model/tokenizer.ts';

export interface TokenTable {
  bytes: number[][]; // (V) bytes of each token
  text: string[]; // (V) tokenizer.decode([id])
}

export function tokenTable(tokenizer: Tokenizer): TokenTable {
  const json = tokenizer.toJSON() as { model: { vocab: Record<string, number> } };
  const bytes: number[][] = Array.from({ length: tokenizer.vocabSize }, () => []);
  tokenizer.specials.forEach((special, id) => (bytes[id] = [...Buffer.from(special, 'utf8')]));
  for (const [token, id] of Object.entries(json.model.vocab)) {
    if (id >= tokenizer.specials.length) bytes[id] = Array.from(token, (ch) => CHAR_TO_BYTE.get(ch) ?? 0);
  }
  const text = bytes.map((_, id) => tokenizer.decode([id]));
  return { bytes, text };
}

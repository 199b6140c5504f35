// The UTF-8 bytes and display text of each vocabulary entry, for logprobs (`bytes` and `token`): a byte-level
// token may hold part of a character, so its text alone cannot give its bytes. eto's BPE gives them exactly;
// for another tokenizer the bytes are those of the token's decoded text (a split character reads as U+FFFD).
import { CHAR_TO_BYTE } from '../model/byte-level.ts';
import { Tokenizer } from '../model/tokenizer.ts';
import type { TextTokenizer } from '../tokenizer/types.ts';

export interface TokenTable {
  bytes: number[][]; // (V) bytes of each token
  text: string[]; // (V) tokenizer.decode([id])
}

export function tokenTable(tokenizer: TextTokenizer): TokenTable {
  if (!(tokenizer instanceof Tokenizer)) {
    const text = Array.from({ length: tokenizer.vocabSize }, (_, id) => tokenizer.decode([id]));
    return { text, bytes: text.map((t) => [...Buffer.from(t, 'utf8')]) };
  }
  const json = tokenizer.toJSON() as { model: { vocab: Record<string, number> } };
  const bytes: number[][] = Array.from({ length: tokenizer.vocabSize }, () => []);
  tokenizer.specials.forEach((special, id) => (bytes[id] = [...Buffer.from(special, 'utf8')]));
  for (const [token, id] of Object.entries(json.model.vocab)) {
    if (id >= tokenizer.specials.length) bytes[id] = Array.from(token, (ch) => CHAR_TO_BYTE.get(ch) ?? 0);
  }
  const text = bytes.map((_, id) => tokenizer.decode([id]));
  return { bytes, text };
}

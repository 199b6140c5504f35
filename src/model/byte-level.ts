// GPT-2's byte-level alphabet: every byte maps to one printable Unicode character, so BPE can work on
// strings while round-tripping arbitrary bytes. Also the pre-tokenizer regex HF's ByteLevel uses.

/** byte → character, as GPT-2 / HF ByteLevel define it. */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();
/** character → byte, the inverse of BYTE_TO_CHAR. */
export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((ch, byte) => [ch, byte]));

function buildByteToChar(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table = new Array<string>(256);
  const isPrintable = new Set(printable);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    table[b] = String.fromCodePoint(isPrintable.has(b) ? b : 256 + extra++);
  }
  return table;
}

/** GPT-2's pre-tokenization pattern (contractions, letters, numbers, other symbols, whitespace). */
export const PRE_TOKENIZE = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

const encoder = new TextEncoder();

/** Splits text into pre-tokens, each already mapped to byte-level characters. */
export function preTokenize(text: string): string[] {
  const pieces = text.match(PRE_TOKENIZE) ?? [];
  return pieces.map(bytesToChars);
}

export function bytesToChars(text: string): string {
  let out = '';
  for (const byte of encoder.encode(text)) out += BYTE_TO_CHAR[byte];
  return out;
}

// GPT-2's byte-level alphabet: every byte maps to one printable Unicode character, so BPE can work on
// strings while round-tripping arbitrary bytes (HF's ByteLevel pre-tokenizer and decoder use it).

/** byte → character, as GPT-2 / HF ByteLevel define it. */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();
/** character → byte, the inverse of BYTE_TO_CHAR. */
export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((ch, byte) => [ch, byte]));

function buildByteToChar(): string[] {
  const isPrintable = (b: number): boolean => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || b >= 0xae;
  const table = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) table[b] = String.fromCodePoint(isPrintable(b) ? b : 256 + extra++);
  return table;
}

const utf8 = new TextEncoder();

/** The text's UTF-8 bytes, each written as its byte-level character. */
export function bytesToChars(text: string): string {
  let out = '';
  for (const byte of utf8.encode(text)) out += BYTE_TO_CHAR[byte];
  return out;
}

// Reads the elements of a top-level JSON array one at a time from a file of any size (WebShop's full
// items_shuffle.json is several GB, past Node's string limit), scanning bytes for the element boundaries.
// Byte scanning is safe for UTF-8: multi-byte sequences never contain ASCII structural characters.
import { closeSync, openSync, readSync } from 'node:fs';
import { DataError } from '../../errors.ts';

const OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d, OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c;
const isSpace = (byte: number): boolean => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

export function* readJsonArray(path: string, chunkBytes = 1 << 20): Generator<unknown> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new DataError(path, undefined, `cannot read: ${(error as Error).message}`);
  }
  const chunk = Buffer.alloc(chunkBytes);
  let started = false; // saw the opening '['
  let finished = false; // saw the closing ']'
  let depth = 0; // nesting inside the current element
  let inString = false;
  let escaped = false;
  let pieces: Buffer[] = [];
  let elementStart = -1; // start of the current element within this chunk, -1 when outside one
  let count = 0;
  const parse = (bytes: Buffer): unknown => {
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new DataError(path, undefined, `element ${count} is not valid JSON: ${(error as Error).message}`);
    }
  };
  try {
    for (;;) {
      const length = readSync(fd, chunk, 0, chunkBytes, null);
      if (length === 0) break;
      elementStart = pieces.length > 0 ? 0 : -1;
      for (let i = 0; i < length && !finished; i++) {
        const byte = chunk[i]!;
        if (!started) {
          if (isSpace(byte)) continue;
          if (byte !== OPEN_BRACKET) throw new DataError(path, undefined, 'expected a JSON array');
          started = true;
          continue;
        }
        if (inString) {
          if (escaped) escaped = false;
          else if (byte === BACKSLASH) escaped = true;
          else if (byte === QUOTE) inString = false;
          continue;
        }
        if (elementStart < 0) {
          if (isSpace(byte) || byte === COMMA) continue;
          if (byte === CLOSE_BRACKET && depth === 0) {
            finished = true;
            continue;
          }
          elementStart = i;
        }
        if (byte === QUOTE) inString = true;
        else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
        else if ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && depth > 0) depth--;
        else if (depth === 0 && (byte === COMMA || byte === CLOSE_BRACKET)) {
          pieces.push(Buffer.from(chunk.subarray(elementStart, i)));
          yield parse(Buffer.concat(pieces));
          count++;
          pieces = [];
          elementStart = -1;
          if (byte === CLOSE_BRACKET) finished = true;
        }
      }
      if (elementStart >= 0) pieces.push(Buffer.from(chunk.subarray(elementStart, length)));
      if (finished) break;
    }
  } finally {
    closeSync(fd);
  }
  if (!started || !finished) throw new DataError(path, undefined, 'the JSON array is not closed (truncated file?)');
}

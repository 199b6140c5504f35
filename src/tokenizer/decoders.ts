// tokenizer.json `decoder`: token strings → text (ByteLevel, Metaspace, ByteFallback, Fuse, Strip, Replace,
// Sequence). Like HF's decode_chain each step maps a list of token strings to a new list; the result is joined.
import { z } from 'zod';
import { CHAR_TO_BYTE } from './byte-alphabet.ts';
import { replacer } from './normalizers.ts';
import { componentType, parseWith, patternSchema, unknownComponent } from './schema.ts';

export type Decode = (tokens: string[]) => string[];

const KNOWN = ['ByteLevel', 'Metaspace', 'ByteFallback', 'Fuse', 'Strip', 'Replace', 'Sequence'] as const;

const metaspaceSchema = z.object({
  replacement: z.string().length(1),
  prepend_scheme: z.enum(['always', 'first', 'never']).optional(),
  add_prefix_space: z.boolean().optional(),
});
const stripSchema = z.object({ content: z.string().length(1), start: z.number().int(), stop: z.number().int() });
const replaceSchema = z.object({ pattern: patternSchema, content: z.string() });
const sequenceSchema = z.object({ decoders: z.array(z.unknown()) });

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }); // keep a leading U+FEFF, as HF does
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const BYTE_TOKEN = /^<0x([0-9A-F]{2})>$/;

/** The decoder a tokenizer.json component describes (`null` → tokens joined by spaces, as HF does). */
export function buildDecoder(json: unknown, field = 'decoder'): Decode {
  if (json === null || json === undefined) return (tokens) => [tokens.join(' ')];
  const type = componentType(json, field);
  switch (type) {
    case 'ByteLevel':
      return (tokens) => [utf8.decode(Uint8Array.from(tokens.flatMap(tokenBytes)))];
    case 'Metaspace': {
      const options = parseWith(metaspaceSchema, json, field);
      const { replacement, prepend_scheme: scheme, add_prefix_space: addPrefix } = options;
      const stripFirst = (scheme ?? (addPrefix === false ? 'never' : 'always')) !== 'never';
      return (tokens) =>
        tokens.map((token, i) => token.replaceAll(replacement, i === 0 && stripFirst ? '' : ' '));
    }
    case 'ByteFallback':
      return byteFallback;
    case 'Fuse':
      return (tokens) => [tokens.join('')];
    case 'Strip': {
      const { content, start, stop } = parseWith(stripSchema, json, field);
      return (tokens) => tokens.map((token) => strip(token, content, start, stop));
    }
    case 'Replace': {
      const { pattern, content } = parseWith(replaceSchema, json, field);
      const replace = replacer(pattern, content, `${field}.pattern`);
      return (tokens) => tokens.map(replace);
    }
    case 'Sequence': {
      const { decoders } = parseWith(sequenceSchema, json, field);
      const steps = decoders.map((d, i) => buildDecoder(d, `${field}.decoders[${i}]`));
      return (tokens) => steps.reduce((acc, step) => step(acc), tokens);
    }
    default:
      throw unknownComponent(field, type, KNOWN);
  }
}

/** A ByteLevel token's bytes; a token with characters outside the alphabet counts as its own UTF-8. */
function tokenBytes(token: string): number[] {
  const bytes: number[] = [];
  for (const ch of token) {
    const byte = CHAR_TO_BYTE.get(ch);
    if (byte === undefined) return Array.from(new TextEncoder().encode(token));
    bytes.push(byte);
  }
  return bytes;
}

/** Runs of <0xHH> tokens become their UTF-8 text, or one U+FFFD per byte token when invalid. */
function byteFallback(tokens: string[]): string[] {
  const out: string[] = [];
  let run: number[] = [];
  const flush = (): void => {
    if (run.length === 0) return;
    try {
      out.push(strictUtf8.decode(Uint8Array.from(run)));
    } catch {
      for (let i = 0; i < run.length; i++) out.push('\ufffd');
    }
    run = [];
  };
  for (const token of tokens) {
    const byte = BYTE_TOKEN.exec(token);
    if (byte) run.push(parseInt(byte[1] as string, 16));
    else {
      flush();
      out.push(token);
    }
  }
  flush();
  return out;
}

/** Removes up to `start` leading and `stop` trailing `content` characters. */
function strip(token: string, content: string, start: number, stop: number): string {
  const chars = Array.from(token);
  let from = 0;
  while (from < start && from < chars.length && chars[from] === content) from++;
  let to = chars.length;
  while (chars.length - to < stop && to > from && chars[to - 1] === content) to--;
  return chars.slice(from, to).join('');
}

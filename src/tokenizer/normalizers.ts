// tokenizer.json `normalizer`: text → text before pre-tokenization (Unicode forms, Prepend, Replace,
// Lowercase, Strip, Sequence). Offsets are not tracked: eto needs ids, not alignments.
import { z } from 'zod';
import { escapeRegex, oniguruma } from './regex.ts';
import { componentType, parseWith, patternSchema, unknownComponent, type PatternJson } from './schema.ts';

export type Normalize = (text: string) => string;

const KNOWN = ['NFC', 'NFD', 'NFKC', 'NFKD', 'Lowercase', 'Prepend', 'Replace', 'Strip', 'Sequence'] as const;

const prependSchema = z.object({ prepend: z.string() });
const replaceSchema = z.object({ pattern: patternSchema, content: z.string() });
const stripSchema = z.object({ strip_left: z.boolean().default(true), strip_right: z.boolean().default(true) });
const sequenceSchema = z.object({ normalizers: z.array(z.unknown()) });

/** The normalizer a tokenizer.json component describes (`null` → identity). */
export function buildNormalizer(json: unknown, field = 'normalizer'): Normalize {
  if (json === null || json === undefined) return (text) => text;
  const type = componentType(json, field);
  switch (type) {
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD':
      return (text) => text.normalize(type);
    case 'Lowercase':
      return lowercase;
    case 'Prepend': {
      const { prepend } = parseWith(prependSchema, json, field);
      return (text) => (text === '' ? text : prepend + text);
    }
    case 'Replace': {
      const { pattern, content } = parseWith(replaceSchema, json, field);
      return replacer(pattern, content, `${field}.pattern`);
    }
    case 'Strip': {
      const { strip_left: left, strip_right: right } = parseWith(stripSchema, json, field);
      return (text) => stripWhiteSpace(text, left, right);
    }
    case 'Sequence': {
      const { normalizers } = parseWith(sequenceSchema, json, field);
      const steps = normalizers.map((n, i) => buildNormalizer(n, `${field}.normalizers[${i}]`));
      return (text) => steps.reduce((t, step) => step(t), text);
    }
    default:
      throw unknownComponent(field, type, KNOWN);
  }
}

/** Replaces every match of a String or Regex pattern by `content` (taken literally, no `$1`). */
export function replacer(pattern: PatternJson, content: string, field: string): Normalize {
  const regex = 'String' in pattern ? new RegExp(escapeRegex(pattern.String), 'gu') : oniguruma(pattern.Regex, field);
  return (text) => text.replace(regex, () => content);
}

const LEADING = /^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;
const TRAILING = /[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/u;

/** Strips Unicode White_Space (Rust's char::is_whitespace) from either end. */
export function stripWhiteSpace(text: string, left: boolean, right: boolean): string {
  let out = left ? text.replace(LEADING, '') : text;
  if (right) out = out.replace(TRAILING, '');
  return out;
}

/** Lowercases code point by code point, as HF does (so no final-sigma rule: Σ → σ everywhere). */
function lowercase(text: string): string {
  let out = '';
  for (const ch of text) out += ch.toLowerCase();
  return out;
}

// tokenizer.json `pre_tokenizer`: cuts normalized text into the pieces BPE sees (ByteLevel, Split, Metaspace,
// Digits, Sequence). A piece remembers whether it starts the input, which Metaspace's "first" scheme needs.
import { z } from 'zod';
import { bytesToChars } from './byte-alphabet.ts';
import { escapeRegex, oniguruma } from './regex.ts';
import { componentType, parseWith, patternSchema, unknownComponent } from './schema.ts';
import { splitBy, type SplitBehavior } from './split.ts';

export interface Piece {
  text: string;
  /** True when the piece begins at offset 0 of the encoded text. */
  atStart: boolean;
}

export type PreTokenize = (pieces: Piece[]) => Piece[];

const KNOWN = ['ByteLevel', 'Split', 'Metaspace', 'Digits', 'Sequence'] as const;

/** GPT-2's pattern, which ByteLevel applies when use_regex is set (an Oniguruma pattern, like Split's). */
export const GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

const behaviorSchema = z.enum(['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous']);
const byteLevelSchema = z.object({ add_prefix_space: z.boolean().default(true), use_regex: z.boolean().default(true) });
const splitSchema = z.object({ pattern: patternSchema, behavior: behaviorSchema, invert: z.boolean().default(false) });
const metaspaceSchema = z.object({
  replacement: z.string().length(1),
  prepend_scheme: z.enum(['always', 'first', 'never']).optional(),
  add_prefix_space: z.boolean().optional(), // the pre-0.14 spelling of prepend_scheme always/never
  split: z.boolean().default(true),
});
const digitsSchema = z.object({ individual_digits: z.boolean().default(false) });
const sequenceSchema = z.object({ pretokenizers: z.array(z.unknown()) });

/** The pre-tokenizer a tokenizer.json component describes (`null` → the whole piece). */
export function buildPreTokenizer(json: unknown, field = 'pre_tokenizer'): PreTokenize {
  if (json === null || json === undefined) return (pieces) => pieces;
  const type = componentType(json, field);
  switch (type) {
    case 'ByteLevel': {
      const { add_prefix_space: addPrefixSpace, use_regex: useRegex } = parseWith(byteLevelSchema, json, field);
      const regex = useRegex ? oniguruma(GPT2_PATTERN, field) : undefined;
      return eachPiece((text) => {
        const spaced = addPrefixSpace && !text.startsWith(' ') ? ` ${text}` : text;
        return (regex ? splitBy(spaced, regex, 'Isolated') : [spaced]).map(bytesToChars);
      });
    }
    case 'Split': {
      const { pattern, behavior, invert } = parseWith(splitSchema, json, field);
      const regex = 'String' in pattern
        ? new RegExp(escapeRegex(pattern.String), 'gu')
        : oniguruma(pattern.Regex, `${field}.pattern`);
      return eachPiece((text) => splitBy(text, regex, behavior, invert));
    }
    case 'Metaspace':
      return metaspace(parseWith(metaspaceSchema, json, field));
    case 'Digits': {
      const { individual_digits: individual } = parseWith(digitsSchema, json, field);
      const behavior: SplitBehavior = individual ? 'Isolated' : 'Contiguous';
      return eachPiece((text) => splitBy(text, /\p{N}/gu, behavior));
    }
    case 'Sequence': {
      const steps = parseWith(sequenceSchema, json, field).pretokenizers.map((p, i) =>
        buildPreTokenizer(p, `${field}.pretokenizers[${i}]`),
      );
      return (pieces) => steps.reduce((ps, step) => step(ps), pieces);
    }
    default:
      throw unknownComponent(field, type, KNOWN);
  }
}

/** Replaces spaces by ▁, prepends one as the scheme says, and splits before each ▁ (SentencePiece style). */
function metaspace(options: z.infer<typeof metaspaceSchema>): PreTokenize {
  const { replacement } = options;
  const scheme = options.prepend_scheme ?? (options.add_prefix_space === false ? 'never' : 'always');
  const marker = new RegExp(escapeRegex(replacement), 'gu');
  return (pieces) =>
    pieces.flatMap((piece) => {
      let text = piece.text.replaceAll(' ', replacement);
      const prepend = scheme === 'always' || (scheme === 'first' && piece.atStart);
      if (prepend && !text.startsWith(replacement)) text = replacement + text;
      const parts = options.split ? splitBy(text, marker, 'MergedWithNext') : [text];
      return parts.map((part, i) => ({ text: part, atStart: piece.atStart && i === 0 }));
    });
}

/** Lifts a text → texts split to pieces; only the first part of a piece keeps its atStart. */
function eachPiece(split: (text: string) => string[]): PreTokenize {
  return (pieces) =>
    pieces.flatMap((piece) => split(piece.text).map((text, i) => ({ text, atStart: piece.atStart && i === 0 })));
}

// tokenizer.json `post_processor`: the special tokens added around one encoded sequence when
// addSpecialTokens is on (TemplateProcessing's `single` template, e.g. BOS). ByteLevel only adjusts offsets,
// so it adds nothing to ids. Pairs of sequences are not encoded by eto.
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { componentType, parseWith, unknownComponent } from './schema.ts';

/** Wraps the ids of one sequence with the template's special tokens. */
export type PostProcess = (ids: number[]) => number[];

const KNOWN = ['TemplateProcessing', 'ByteLevel', 'Sequence'] as const;

const pieceSchema = z.union([
  z.object({ SpecialToken: z.object({ id: z.string() }) }),
  z.object({ Sequence: z.object({ id: z.enum(['A', 'B']) }) }),
]);
const templateSchema = z.object({
  single: z.array(pieceSchema),
  special_tokens: z.record(z.string(), z.object({ ids: z.array(z.number().int().nonnegative()) })),
});
const sequenceSchema = z.object({ processors: z.array(z.unknown()) });

export function buildPostProcessor(json: unknown, field = 'post_processor'): PostProcess {
  if (json === null || json === undefined) return (ids) => ids;
  const type = componentType(json, field);
  switch (type) {
    case 'ByteLevel':
      return (ids) => ids;
    case 'TemplateProcessing': {
      const { single, special_tokens: specials } = parseWith(templateSchema, json, field);
      const parts = single.map((piece, i) => {
        if ('Sequence' in piece) return 'sequence' as const;
        const special = specials[piece.SpecialToken.id];
        if (!special) {
          throw new ConfigError(`${field}.single[${i}]`, `${piece.SpecialToken.id} is missing from special_tokens`);
        }
        return special.ids;
      });
      return (ids) => parts.flatMap((part) => (part === 'sequence' ? ids : part));
    }
    case 'Sequence': {
      const steps = parseWith(sequenceSchema, json, field).processors.map((p, i) =>
        buildPostProcessor(p, `${field}.processors[${i}]`),
      );
      return (ids) => steps.reduce((acc, step) => step(acc), ids);
    }
    default:
      throw unknownComponent(field, type, KNOWN);
  }
}

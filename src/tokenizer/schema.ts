// The tokenizer.json layout (Hugging Face `tokenizers` 1.0 format), read with zod. Each pipeline component
// is checked by the file that builds it (its `type` picks the schema); this file holds the top level and
// the helpers that turn a zod failure or an unknown `type` into one ConfigError naming the field.
import { z } from 'zod';
import { ConfigError } from '../errors.ts';

export const addedTokenSchema = z.object({
  id: z.number().int().nonnegative(),
  content: z.string().min(1),
  single_word: z.boolean().default(false),
  lstrip: z.boolean().default(false),
  rstrip: z.boolean().default(false),
  normalized: z.boolean().default(true),
  special: z.boolean().default(false),
});
export type AddedTokenJson = z.infer<typeof addedTokenSchema>;

export const tokenizerJsonSchema = z.object({
  added_tokens: z.array(addedTokenSchema).default([]),
  normalizer: z.unknown().optional(),
  pre_tokenizer: z.unknown().optional(),
  post_processor: z.unknown().optional(),
  decoder: z.unknown().optional(),
  model: z.unknown(),
});
export type TokenizerJson = z.infer<typeof tokenizerJsonSchema>;

/** `{ "String": "…" }` or `{ "Regex": "…" }`, as Split, Replace and their decoders write patterns. */
export const patternSchema = z.union([z.object({ String: z.string() }), z.object({ Regex: z.string() })]);
export type PatternJson = z.infer<typeof patternSchema>;

/** Parses `json` with `schema`; a failure names `field` and the first bad sub-field. */
export function parseWith<T>(schema: z.ZodType<T>, json: unknown, field: string): T {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.length ? `.${issue.path.join('.')}` : '';
  throw new ConfigError(`${field}${path}`, issue?.message ?? 'invalid');
}

/** The component's `type`, or a ConfigError when it has none. */
export function componentType(json: unknown, field: string): string {
  const type = (json as { type?: unknown } | null)?.type;
  if (typeof type !== 'string') throw new ConfigError(field, 'expected an object with a string "type"');
  return type;
}

/** The one-line error for a component type eto does not implement. */
export function unknownComponent(field: string, type: string, known: readonly string[]): ConfigError {
  return new ConfigError(field, `${JSON.stringify(type)} is not supported (eto reads ${known.join(', ')})`);
}

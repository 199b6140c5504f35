// Zod schemas of the request bodies the server accepts (OpenAI's documented fields that an eto model can honour).
// Unknown fields are ignored, as OpenAI-compatible servers do; a known field with a bad value is a 400 naming it.
import { z } from 'zod';
import { invalidField, type ApiError } from './api-error.ts';

/** Most choices one request may ask for (each is a sequence in the batch). */
export const MAX_CHOICES = 64;

const stop = z.union([z.string(), z.array(z.string()).max(4)]).nullish();
const sampling = {
  model: z.string(),
  n: z.int().min(1).max(MAX_CHOICES).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  seed: z.int().nullish(),
  stop,
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
};

const textPart = z.object({ type: z.literal('text'), text: z.string() });
export const ChatMessageSchema = z.object({
  // OpenAI's newer `developer` role plays the part of `system` here
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  content: z.union([z.string(), z.array(textPart)]),
});

export const ChatRequestSchema = z.object({
  ...sampling,
  messages: z.array(ChatMessageSchema).min(1),
  max_tokens: z.int().min(1).nullish(),
  max_completion_tokens: z.int().min(1).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.int().min(0).max(20).nullish(),
});
export type ChatRequest = z.infer<typeof ChatRequestSchema>;

export const CompletionRequestSchema = z.object({
  ...sampling,
  // text, texts, token ids or lists of token ids
  prompt: z.union([z.string(), z.array(z.string()).min(1), z.array(z.int()).min(1), z.array(z.array(z.int()).min(1)).min(1)]),
  // 0 with echo: score the prompt only
  max_tokens: z.int().min(0).nullish(),
  logprobs: z.int().min(0).max(20).nullish(),
  echo: z.boolean().nullish(),
});
export type CompletionRequest = z.infer<typeof CompletionRequestSchema>;

/** The parsed body, or the 400 for its first bad field. */
export function parseRequest<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw firstIssue(parsed.error);
}

function firstIssue(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const param = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
  return invalidField(param, issue?.message ?? 'invalid request');
}

// How eto talks to an OpenAI-compatible server (vLLM, llama.cpp's llama-server, Ollama, TGI, a hosted API)
// when it plays the policy. Validated with zod; every field's `.describe()` is its flag's help text.
import { z } from 'zod';

export const OpenAiPolicyOptionsSchema = z.object({
  baseUrl: z
    .string()
    .url()
    .describe('server base URL including /v1 (e.g. http://127.0.0.1:8000/v1)'),
  model: z.string().min(1).describe('model name the server serves (`GET /v1/models`)'),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name')
    .describe('environment variable holding the API key (none needed by local servers)'),
  concurrency: z.number().int().min(1).max(1024).describe('most requests in flight at once'),
  timeoutS: z.number().finite().positive().describe('seconds before one request counts as timed out'),
  maxRetries: z
    .number()
    .int()
    .min(0)
    .max(20)
    .describe('retries of one request after 429, 5xx, a timeout or a dropped connection'),
  backoffS: z.number().finite().positive().describe('first retry delay in seconds (doubles per retry, with jitter)'),
  maxBackoffS: z.number().finite().positive().describe('longest wait between two retries, Retry-After included'),
  endpoint: z
    .enum(['chat', 'completions'])
    .describe('chat (/v1/chat/completions, the server applies its chat template) | completions (raw prompts)'),
});
export type OpenAiPolicyOptions = z.infer<typeof OpenAiPolicyOptionsSchema>;

/** The defaults a user gets when only the URL and the model are given. */
export const OPENAI_POLICY_DEFAULTS: Omit<OpenAiPolicyOptions, 'baseUrl' | 'model'> = {
  apiKeyEnv: 'OPENAI_API_KEY',
  concurrency: 8,
  timeoutS: 60,
  maxRetries: 6,
  backoffS: 0.5,
  maxBackoffS: 30,
  endpoint: 'chat',
};

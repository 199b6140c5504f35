// `eto serve --max-model-len N`: the KV cache holds max-batch sequences of N positions instead of the model's
// whole window (what lets a pretrained model with an 8k window serve 64 clients in 4 GiB). A prompt must be
// shorter than N, a reply stops with finish_reason 'length' when prompt + reply reach N, and a cap that cannot
// fit, or exceeds the model's window, is a one-line flag error (exit 2).
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { repoRoot, runEtoCli, startServe } from './helpers/cli.ts';

const MODEL = join(repoRoot, 'checkpoints/alfworld-small-sft');
const WINDOW = JSON.parse(readFileSync(join(MODEL, 'config.json'), 'utf8')).max_position_embeddings as number;
const CAP = 48;

let baseURL = '';
let stopServer = (): void => {};
beforeAll(async () => {
  ({ baseURL, stop: stopServer } = await startServe(['--model', MODEL, '--port', '0', '--max-batch', '4',
    '--max-model-len', String(CAP)]));
}, 30_000);
afterAll(() => stopServer());

const client = (): OpenAI => new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0 });
const ask = (content: string, maxTokens: number) => client().chat.completions.create({
  model: 'alfworld-small-sft', temperature: 0, max_tokens: maxTokens,
  messages: [{ role: 'user', content }],
});

describe('eto serve --max-model-len', () => {
  it('ends a reply with finish_reason length when prompt + reply reach the cap', async () => {
    const replies = await Promise.all([
      ask('You are in the middle of a room. Your task is to: put a mug in cabinet 1.', 500),
      ask('go to cabinet 1. '.repeat(4), 500),
    ]);
    // a reply may end with its stop token first; one that runs on is ended by the cap, exactly at it
    for (const reply of replies) {
      expect(reply.usage!.prompt_tokens).toBeLessThan(CAP);
      if (reply.choices[0]!.finish_reason === 'length') expect(reply.usage!.total_tokens).toBe(CAP);
      else expect(reply.usage!.total_tokens).toBeLessThan(CAP);
    }
    expect(replies.map((r) => r.choices[0]!.finish_reason)).toContain('length');
  });

  it('refuses a prompt that does not fit the cap with 400 context_length_exceeded, naming the cap', async () => {
    const error = await ask('open drawer 3 and look inside. '.repeat(20), 4).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const api = error as InstanceType<typeof OpenAI.APIError>;
    expect(api.status).toBe(400);
    expect(api.code).toBe('context_length_exceeded');
    expect(api.message).toMatch(new RegExp(`context is ${CAP}\\b`));
    const after = await ask('look', 2);
    expect(after.choices).toHaveLength(1);
  });

  it('rejects a cap past the model window, and caches that cannot fit the engine, with a flag error', async () => {
    const past = await runEtoCli(['serve', '--model', MODEL, '--port', '0', '--max-model-len', String(WINDOW + 1)]);
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(/--max-model-len/);
    expect(past.stderr).toContain(`at most the model's ${WINDOW} positions`);
    const huge = await runEtoCli(['serve', '--model', MODEL, '--port', '0', '--max-batch', '1000000']);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/--max-model-len \d+ or less, or a smaller --max-batch/);
  });
});

// `eto serve` as a user runs it: a child process on checkpoints/alfworld-small-sft, driven by the official `openai`
// client. Responses are checked against zod schemas of OpenAI's documented objects and against the in-process
// model through the CLI (`eto model generate` for text, `eto model score` for log-probs); bad input gets 4xx.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { renderChat } from '../src/model/chat.ts';
import { repoRoot, runEtoCli, startServe } from './helpers/cli.ts';

const MODEL = join(repoRoot, 'checkpoints/alfworld-small-sft');
const NAME = 'alfworld-small-sft';
const MAX_BODY = 100_000;
const MAX_QUEUE = 16;

const TopLogprob = z.object({ token: z.string(), logprob: z.number().max(0), bytes: z.array(z.int()).nullable() });
const ChatCompletion = z.object({
  id: z.string(), object: z.literal('chat.completion'), created: z.int(), model: z.string(),
  choices: z.array(z.object({
    index: z.int(), finish_reason: z.enum(['stop', 'length']),
    message: z.object({ role: z.literal('assistant'), content: z.string() }),
    logprobs: z.object({ content: z.array(TopLogprob.extend({ top_logprobs: z.array(TopLogprob) })) }).nullable(),
  })),
  usage: z.object({ prompt_tokens: z.int(), completion_tokens: z.int(), total_tokens: z.int() }),
});
const ChatChunk = z.object({
  id: z.string(), object: z.literal('chat.completion.chunk'), created: z.int(), model: z.string(),
  choices: z.array(z.object({
    index: z.int(), delta: z.object({ role: z.literal('assistant').optional(), content: z.string().optional() }),
    finish_reason: z.enum(['stop', 'length']).nullable(),
  })),
});
const Completion = z.object({
  id: z.string(), object: z.literal('text_completion'), created: z.int(), model: z.string(),
  choices: z.array(z.object({
    index: z.int(), text: z.string(), finish_reason: z.enum(['stop', 'length']),
    logprobs: z.object({
      tokens: z.array(z.string()), token_logprobs: z.array(z.number().nullable()),
      top_logprobs: z.array(z.record(z.string(), z.number()).nullable()), text_offset: z.array(z.int()),
    }).nullable(),
  })),
  usage: z.object({ prompt_tokens: z.int(), completion_tokens: z.int(), total_tokens: z.int() }),
});
const ErrorShape = z.object({
  error: z.object({ message: z.string().min(1), type: z.string(), param: z.string().nullable(), code: z.string().nullable() }),
});

const messages = [
  { role: 'user' as const, content: 'Interact with a household to solve a task.' },
  { role: 'assistant' as const, content: 'OK' },
  { role: 'user' as const, content: 'You are in the middle of a room. Your task is to: put a clean mug in coffeemachine.' },
];

let baseURL = '';
let stopServer = (): void => {};
const dir = mkdtempSync(join(tmpdir(), 'eto-serve-'));
const input = join(dir, 'input.jsonl');
writeFileSync(input, `${JSON.stringify({ messages })}\n`);

async function generateCli(args: string[]): Promise<{ content: string; finish_reason: string; ids: number[] }[]> {
  const result = await runEtoCli(['model', 'generate', '--model', MODEL, '--input', input, ...args]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim().split('\n').map((line) => JSON.parse(line));
}

beforeAll(async () => {
  ({ baseURL, stop: stopServer } = await startServe(['--model', MODEL, '--port', '0', '--max-batch', '8', '--max-queue', String(MAX_QUEUE),
    '--max-body-bytes', String(MAX_BODY)]));
}, 30_000);
afterAll(() => stopServer());

const client = (): OpenAI => new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0 });

describe('eto serve, driven by the openai client', () => {
  it('lists the served model', async () => {
    const models = await client().models.list();
    expect(models.data.map((m) => m.id)).toEqual([NAME]);
  });

  it('greedy chat equals `eto model generate`, also when streamed', async () => {
    const [expected] = await generateCli(['--temperature', '0', '--max-new-tokens', '40']);
    const reply = ChatCompletion.parse(await client().chat.completions.create({ model: NAME, messages, temperature: 0, max_tokens: 40 }));
    expect(reply.choices[0]!.message.content).toBe(expected!.content);
    expect(reply.choices[0]!.finish_reason).toBe(expected!.finish_reason);
    expect(reply.usage.completion_tokens).toBe(expected!.ids.length);
    const stream = await client().chat.completions.create({ model: NAME, messages, temperature: 0, max_tokens: 40, stream: true });
    let text = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      const parsed = ChatChunk.parse(chunk);
      text += parsed.choices[0]?.delta.content ?? '';
      finish = parsed.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe(expected!.content);
    expect(finish).toBe(expected!.finish_reason);
  });

  it('n > 1 with a seed reproduces `eto model generate --n --seed`, and stop strings cut the reply', async () => {
    const expected = await generateCli(['--temperature', '0.9', '--n', '3', '--seed', '7', '--max-new-tokens', '24']);
    const request = { model: NAME, messages, temperature: 0.9, n: 3, seed: 7, max_tokens: 24 };
    const reply = ChatCompletion.parse(await client().chat.completions.create(request));
    expect(reply.choices.map((c) => c.message.content)).toEqual(expected.map((e) => e.content));
    const stopped = await generateCli(['--temperature', '0', '--max-new-tokens', '40', '--stop', ' ']);
    const cut = ChatCompletion.parse(await client().chat.completions.create({ model: NAME, messages, temperature: 0, max_tokens: 40, stop: [' '] }));
    expect(cut.choices[0]!.message.content).toBe(stopped[0]!.content);
    expect(cut.choices[0]!.message.content).not.toContain(' ');
  });

  it('logprobs and echoed prompt logprobs equal `eto model score` within 1e-4', async () => {
    const reply = ChatCompletion.parse(await client().chat.completions.create({
      model: NAME, messages, temperature: 0, max_tokens: 30, logprobs: true, top_logprobs: 3,
    }));
    const choice = reply.choices[0]!;
    const content = choice.message.content;
    const entries = choice.logprobs!.content;
    for (const entry of entries) {
      expect(entry.top_logprobs).toHaveLength(3);
      expect(entry.top_logprobs[0]!.logprob).toBeGreaterThanOrEqual(entry.logprob - 1e-12); // greedy: the best token
    }
    const conversation = [...messages, { role: 'assistant' as const, content }];
    const scoreFile = join(dir, 'score.jsonl');
    writeFileSync(scoreFile, `${JSON.stringify({ messages: conversation })}\n`);
    const scored = await runEtoCli(['model', 'score', '--model', MODEL, '--input', scoreFile]);
    expect(scored.code, scored.stderr).toBe(0);
    const score = JSON.parse(scored.stdout) as { logprob: number; ids: number[]; mask: number[] };
    const echo = Completion.parse(await client().completions.create({
      model: NAME, prompt: renderChat(conversation, false), max_tokens: 0, echo: true, logprobs: 0,
    }));
    const echoed = echo.choices[0]!;
    expect(echoed.text).toBe(renderChat(conversation, false));
    expect(echoed.logprobs!.tokens).toHaveLength(score.ids.length);
    expect(echoed.logprobs!.token_logprobs[0]).toBeNull();
    const maskedSum = score.mask.reduce((sum, m, t) => sum + (m ? echoed.logprobs!.token_logprobs[t]! : 0), 0);
    expect(Math.abs(maskedSum - score.logprob)).toBeLessThan(1e-4);
    // the reply's own tokens are the assistant tokens before <|end|> when the text re-encodes the same way
    const start = score.mask.indexOf(1);
    const replyTokens = echoed.logprobs!.tokens.slice(start, start + entries.length);
    if (replyTokens.join('') === entries.map((e) => e.token).join('') && replyTokens.length === entries.length) {
      entries.forEach((e, k) => expect(Math.abs(e.logprob - echoed.logprobs!.token_logprobs[start + k]!)).toBeLessThan(1e-4));
    }
  });

  it('concurrent requests share decode steps and each gets the text it would get alone', async () => {
    const alone = await client().chat.completions.create({ model: NAME, messages, temperature: 0, max_tokens: 30 });
    const lengths = [5, 30, 12, 30, 20, 8, 30, 1, 25, 30];
    const replies = await Promise.all(lengths.map((max_tokens) =>
      client().chat.completions.create({ model: NAME, messages, temperature: 0, max_tokens })));
    replies.forEach((reply, k) => {
      expect((alone.choices[0]!.message.content ?? "").startsWith(reply.choices[0]!.message.content ?? ""), `request ${k}`).toBe(true);
      expect(reply.usage!.completion_tokens).toBeLessThanOrEqual(lengths[k]!);
    });
    const health = (await (await fetch(`${baseURL.replace(/\/v1$/, '')}/health`)).json()) as { largestBatch: number };
    expect(health.largestBatch).toBeGreaterThan(1); // --max-batch 8: several sequences per decode call
  });

  it('a conversation continued one turn later prefills only its new tokens, and replies as generate does', async () => {
    const health = async (): Promise<{ promptTokens: number; cachedPromptTokens: number }> =>
      (await (await fetch(`${baseURL.replace(/\/v1$/, '')}/health`)).json()) as never;
    const first = await client().chat.completions.create({ model: NAME, messages, temperature: 0, max_tokens: 20 });
    const next = [...messages, { role: 'assistant' as const, content: first.choices[0]!.message.content ?? '' },
      { role: 'user' as const, content: 'Observation: On the countertop 1, you see a mug 1.' }];
    const before = await health();
    const second = await client().chat.completions.create({ model: NAME, messages: next, temperature: 0,
      max_tokens: 20 });
    const after = await health();
    expect(after.promptTokens - before.promptTokens).toBe(second.usage!.prompt_tokens);
    // the whole first prompt (at least) came from the cache
    expect(after.cachedPromptTokens - before.cachedPromptTokens).toBeGreaterThanOrEqual(first.usage!.prompt_tokens);
    const nextInput = join(dir, 'next.jsonl');
    writeFileSync(nextInput, `${JSON.stringify({ messages: next })}\n`);
    const result = await runEtoCli(['model', 'generate', '--model', MODEL, '--input', nextInput, '--temperature', '0',
      '--max-new-tokens', '20']);
    expect(result.code, result.stderr).toBe(0);
    expect(second.choices[0]!.message.content).toBe(JSON.parse(result.stdout.trim()).content);
  });

  it('completions with echo return the prompt and continue it', async () => {
    const prompt = renderChat(messages, true);
    const reply = Completion.parse(await client().completions.create({ model: NAME, prompt, max_tokens: 8, temperature: 0, echo: true, logprobs: 1 }));
    const choice = reply.choices[0]!;
    expect(choice.text.startsWith(prompt)).toBe(true);
    expect(choice.logprobs!.tokens.length).toBe(reply.usage.prompt_tokens + reply.usage.completion_tokens);
  });

  it('bad input gets a 4xx in OpenAI\'s error shape and the server keeps serving', async () => {
    const post = (path: string, body: string) => fetch(`${baseURL}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const chat = (extra: object) => post('/chat/completions', JSON.stringify({ model: NAME, messages, max_tokens: 4, ...extra }));
    const cases: [string, Promise<Response>, number][] = [
      ['malformed JSON', post('/chat/completions', '{"model": '), 400],
      ['wrong types', chat({ messages: 'hello', temperature: 'hot' }), 400],
      ['huge body', post('/chat/completions', JSON.stringify({ model: NAME, messages, pad: 'x'.repeat(MAX_BODY * 3) })), 413],
      ['unknown model', chat({ model: 'gpt-9' }), 404],
      ['n = 0', chat({ n: 0 }), 400],
      ['negative max_tokens', chat({ max_tokens: -5 }), 400],
      ['negative max_tokens (completions)', post('/completions', JSON.stringify({ model: NAME, prompt: 'a', max_tokens: -1 })), 400],
      ['token id outside the vocabulary', post('/completions', JSON.stringify({ model: NAME, prompt: [5, 99999] })), 400],
      ['not an object', post('/chat/completions', '[1, 2]'), 400],
      ['unknown route', post('/v1/nothing', '{}'), 404],
      ['more choices than the queue holds', chat({ n: MAX_QUEUE + 1 }), 429],
    ];
    for (const [what, pending, status] of cases) {
      const response = await pending;
      expect(response.status, what).toBe(status);
      ErrorShape.parse(await response.json());
    }
    const still = await client().chat.completions.create({ model: NAME, messages, temperature: 0, max_tokens: 4 });
    expect(still.choices).toHaveLength(1);
  });
});

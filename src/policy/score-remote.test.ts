// scoreRemote against a loopback server that reports known per-token log-probs: a hand-computed sum, and
// the same assistant mask as encodeChat/sequenceLogProbs when the server's tokens are eto's tokenizer's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Message } from '../data/schemas.ts';
import { encodeChat } from '../model/chat.ts';
import { Tokenizer } from '../model/tokenizer.ts';
import { startTestServer, type ScriptedToken, type TestServer } from '../../test/helpers/openai-test-server.ts';
import { renderEtoChat, scoreRemote } from './score-remote.ts';

const conversation: Message[] = [
  { role: 'user', content: 'hi' },
  { role: 'assistant', content: 'OK' },
  { role: 'user', content: 'go' },
  { role: 'assistant', content: 'Action: x' },
];

/** Special tags, words (with their leading space), single punctuation: token i has log-prob −i. */
function regexTokens(prompt: string): ScriptedToken[] {
  const pieces = prompt.match(/<\|[a-z]+\|>|\s?\w+|[^\s\w]/g) ?? [];
  return pieces.map((text, i) => ({ text, logprob: i === 0 ? null : -i }));
}

const tokenizer = Tokenizer.fromJSON(JSON.parse(readFileSync('checkpoints/alfworld-small-sft/tokenizer.json', 'utf8')));
/** eto's own tokens, log-prob −t/1000 at position t. */
function etoTokens(prompt: string): ScriptedToken[] {
  return Array.from(tokenizer.encode(prompt), (id, t) => ({ text: tokenizer.decode([id]), logprob: t === 0 ? null : -t / 1000 }));
}

let byRegex: TestServer;
let byEto: TestServer;
beforeAll(async () => {
  byRegex = await startTestServer({ model: 'm', reply: () => '', tokens: regexTokens });
  byEto = await startTestServer({ model: 'm', reply: () => '', tokens: etoTokens });
});
afterAll(async () => {
  await byRegex.close();
  await byEto.close();
});

describe('scoreRemote', () => {
  for (const mode of ['echo', 'prompt_logprobs'] as const) {
    it(`sums the assistant tokens' log-probs (${mode}; hand-computed)`, async () => {
      // <|bos|>0 <|user|>1 hi2 <|end|>3 <|assistant|>4 OK5 <|end|>6 <|user|>7 go8 <|end|>9 <|assistant|>10
      // Action11 :12 " x"13 <|end|>14 → scored: 5, 6, 11, 12, 13, 14
      const scores = await scoreRemote([conversation, conversation.slice(0, 2)], {
        baseUrl: byRegex.url, model: 'm', mode, concurrency: 2, timeoutS: 5,
      });
      expect(Array.from(scores.logProbs)).toEqual([-(5 + 6 + 11 + 12 + 13 + 14), -(5 + 6)]);
      expect(Array.from(scores.tokenCounts)).toEqual([6, 2]);
      const body = byRegex.bodies.at(-1) as Record<string, unknown>;
      expect(body.max_tokens).toBe(1);
      expect(body[mode === 'echo' ? 'echo' : 'prompt_logprobs']).toBe(mode === 'echo' ? true : 0);
    });
  }

  it('masks exactly the tokens encodeChat marks as assistant tokens', async () => {
    const long: Message[] = [
      { role: 'user', content: 'Interact with a household to solve a task.' },
      { role: 'assistant', content: 'OK' },
      { role: 'user', content: 'You are in the middle of a room. Your task is to: put a mug in the sink.' },
      { role: 'assistant', content: 'Thought: I need a mug.\nAction: go to countertop 1' },
      { role: 'user', content: 'Observation: On the countertop 1, you see a mug 1.' },
      { role: 'assistant', content: 'Action: take mug 1 from countertop 1' },
    ];
    const { ids, assistantMask } = encodeChat(tokenizer, long);
    expect(renderEtoChat(long).text).toBe(tokenizer.decode(ids));
    let expected = 0;
    assistantMask.forEach((m, t) => (expected += m ? -t / 1000 : 0));
    for (const mode of ['echo', 'prompt_logprobs'] as const) {
      const scores = await scoreRemote([long], { baseUrl: byEto.url, model: 'm', mode, concurrency: 1, timeoutS: 5 });
      expect(scores.tokenCounts[0]).toBe(assistantMask.reduce((a, b) => a + b, 0));
      expect(scores.logProbs[0]).toBeCloseTo(expected, 9);
    }
  });
});

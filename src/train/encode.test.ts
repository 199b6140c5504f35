// SFT and DPO masks: only assistant tokens are scored (the chat encoder's mask, as `eto model score`
// reports it), and DPO continuations leave the prompt unscored.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEtoCli } from '../../test/helpers/cli.ts';
import type { Message } from '../data/schemas.ts';
import { endOfTurnId, etoChatFormat } from '../model/chat.ts';
import { trainTokenizer } from '../model/tokenizer.ts';
import { createEngine } from '../engine/index.ts';
import { newModel, saveModel } from '../model/policy-model.ts';
import { countPairCuts, encodeContinuation, encodeMessages, encodePair } from './encode.ts';

const messages: Message[] = [
  { role: 'user', content: 'Interact with a household to solve a task.' },
  { role: 'assistant', content: 'OK' },
  { role: 'user', content: 'You are in the middle of a room.\nYour task is to: put a cup in shelf.' },
  { role: 'assistant', content: 'Thought: I need a cup.\nAction: go to shelf 1' },
  { role: 'user', content: 'Observation: On the shelf 1, you see a cup 1.' },
  { role: 'assistant', content: 'Thought: Found it.\nAction: take cup 1 from shelf 1' },
];

describe('loss masks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eto-mask-'));

  const tokenizer = trainTokenizer(messages.map((m) => m.content), { vocabSize: 400 });

  it('SFT scores exactly the assistant turns: their text, each closed by one end-of-turn token', () => {
    const encoded = encodeMessages(etoChatFormat(tokenizer), messages, 10_000);
    const eot = endOfTurnId(tokenizer);
    const scored = Array.from(encoded.ids).filter((_, t) => encoded.mask[t] === 1);
    const turns: number[][] = [[]];
    for (const id of scored) {
      if (id === eot) turns.push([]);
      else turns.at(-1)!.push(id);
    }
    expect(turns.at(-1)).toEqual([]);
    const assistantTexts = messages.filter((m) => m.role === 'assistant').map((m) => m.content);
    expect(turns.slice(0, -1).map((ids) => tokenizer.decode(ids).trim())).toEqual(assistantTexts);
  });

  // `eto model score` reports the mask the model is trained with
  it('the SFT mask equals the mask `eto model score` reports', async () => {
    const engine = await createEngine({ backend: 'reference', threads: 1 });
    const model = join(dir, 'model');
    saveModel(model, newModel(engine, { size: 'tiny', context: 256, hidden: 0, layers: 0, heads: 0, intermediate: 0 }, tokenizer, 1));
    engine.dispose();
    const input = join(dir, 'messages.jsonl');
    writeFileSync(input, JSON.stringify({ messages }) + '\n');
    const score = await runEtoCli(['model', 'score', '--model', model, '--input', input]);
    expect(score.stderr).toBe('');
    expect(score.code).toBe(0);
    const line = JSON.parse(score.stdout.trim().split('\n').at(-1)!) as { ids: number[]; mask: number[] };
    const encoded = encodeMessages(etoChatFormat(tokenizer), messages, 10_000);
    expect(line.ids).toEqual(Array.from(encoded.ids));
    expect(line.mask).toEqual(Array.from(encoded.mask));
  }, 60_000);

  it('DPO continuations score only the turns after the prompt, and cut at the context', () => {
    const full = encodeMessages(etoChatFormat(tokenizer), messages, 10_000);
    const continuation = encodeContinuation(etoChatFormat(tokenizer), messages.slice(0, 3), messages.slice(3), 10_000);
    expect(continuation.ids).toEqual(full.ids);
    const firstScored = continuation.mask.indexOf(1);
    // "OK" is scored in SFT but is part of the DPO prompt
    expect(full.mask.indexOf(1)).toBeLessThan(firstScored);
    expect(Array.from(continuation.mask.slice(firstScored))).toEqual(Array.from(full.mask.slice(firstScored)));
    const cut = encodeContinuation(etoChatFormat(tokenizer), messages.slice(0, 3), messages.slice(3), 20);
    expect(cut.ids).toHaveLength(20);
  });

  it('an over-long pair loses shared prompt tokens first and keeps every token where the sides differ', () => {
    const prompt = messages.slice(0, 3);
    const chosen = messages.slice(3);
    const rejected: Message[] = [{ role: 'assistant', content: 'Thought: no.\nAction: look' }];
    const whole = (side: Message[]) => encodeContinuation(etoChatFormat(tokenizer), prompt, side, 10_000);
    const [chosenWhole, rejectedWhole] = [whole(chosen), whole(rejected)];
    const scored = (s: { ids: Int32Array; mask: Uint8Array }) => Array.from(s.ids).filter((_, t) => s.mask[t] === 1);
    const scoredFrom = (s: { mask: Uint8Array }) => s.mask.indexOf(1);
    // room for the chosen continuation plus a few prompt tokens: only the prompt may shrink
    const limit = chosenWhole.ids.length - scoredFrom(chosenWhole) + 3;
    expect(limit).toBeLessThan(chosenWhole.ids.length);
    const rewards = { chosenReward: 1, rejectedReward: 0 };
    const base = { task: 't', ...rewards, kind: 'trajectory' as const, prompt, chosen, rejected };
    const pair = encodePair(etoChatFormat(tokenizer), { id: 'p', ...base }, limit);
    expect(pair.cut).toBe('prompt');
    expect(pair.chosen.ids).toHaveLength(limit);
    expect(pair.chosen.ids[0]).toBe(chosenWhole.ids[0]);
    // the tail (from the first scored token on) is the uncut sequence's tail, token for token
    const tail = (s: { ids: Int32Array }, from: number) => Array.from(s.ids.slice(from));
    expect(tail(pair.chosen, scoredFrom(pair.chosen))).toEqual(tail(chosenWhole, scoredFrom(chosenWhole)));
    expect(scored(pair.chosen)).toEqual(scored(chosenWhole));
    expect(scored(pair.rejected)).toEqual(scored(rejectedWhole));
    // a context shorter than the continuation itself has to cut scored tokens at the end
    const tight = encodePair(etoChatFormat(tokenizer), { id: 'q', ...base }, 8);
    expect(tight.cut).toBe('tail');
    expect(tight.chosen.ids).toHaveLength(8);
    expect(countPairCuts([pair, tight, encodePair(etoChatFormat(tokenizer), { id: 'r', ...base }, 10_000)]))
      .toEqual({ prompt: 1, tail: 1 });
  });
});

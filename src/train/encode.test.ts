// SFT and DPO masks: only assistant tokens are scored (the chat encoder's mask, as `eto model score`
// reports it), and DPO continuations leave the prompt unscored.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEtoCli } from '../../test/helpers/cli.ts';
import type { Message } from '../data/schemas.ts';
import { endOfTurnId } from '../model/chat.ts';
import { trainTokenizer } from '../model/tokenizer.ts';
import { createEngine } from '../engine/index.ts';
import { newModel, saveModel } from '../model/policy-model.ts';
import { encodeContinuation, encodeMessages } from './encode.ts';

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
    const encoded = encodeMessages(tokenizer, messages, 10_000);
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
    const encoded = encodeMessages(tokenizer, messages, 10_000);
    expect(line.ids).toEqual(Array.from(encoded.ids));
    expect(line.mask).toEqual(Array.from(encoded.mask));
  }, 60_000);

  it('DPO continuations score only the turns after the prompt, and cut at the context', () => {
    const full = encodeMessages(tokenizer, messages, 10_000);
    const continuation = encodeContinuation(tokenizer, messages.slice(0, 3), messages.slice(3), 10_000);
    expect(continuation.ids).toEqual(full.ids);
    const firstScored = continuation.mask.indexOf(1);
    // "OK" is scored in SFT but is part of the DPO prompt
    expect(full.mask.indexOf(1)).toBeLessThan(firstScored);
    expect(Array.from(continuation.mask.slice(firstScored))).toEqual(Array.from(full.mask.slice(firstScored)));
    const cut = encodeContinuation(tokenizer, messages.slice(0, 3), messages.slice(3), 20);
    expect(cut.ids).toHaveLength(20);
  });
});

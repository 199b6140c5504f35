// The served model's window measured locally must agree with the in-process policy's own fits() on the same
// checkpoint, conversation by conversation, right at the boundary; and bad checkpoint files name the file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalPolicy } from '../agent/local-policy.ts';
import type { Message } from '../data/schemas.ts';
import { createEngine } from '../engine/index.ts';
import { openModel } from '../model/policy-model.ts';
import { checkpointContextWindow } from './context-window.ts';

const MODEL = join(import.meta.dirname, '../../checkpoints/alfworld-small-sft');

describe('checkpointContextWindow', () => {
  it('agrees with the local policy on every conversation length and token budget', async () => {
    const engine = await createEngine({ threads: 1 });
    const { model, tokenizer, chat } = openModel(engine, MODEL);
    const local = createLocalPolicy(model, tokenizer, chat, 'local');
    const fits = checkpointContextWindow(MODEL);
    const turn = (i: number): Message[] => [
      { role: 'assistant', content: `Thought: step ${i}, I look around the room once more.\nAction: go to cabinet ${i}` },
      { role: 'user', content: `Observation: On the cabinet ${i}, you see a mug ${i} and a spoon ${i + 1}.` },
    ];
    let flips = 0;
    for (let turns = 0; turns < 40; turns++) {
      const conversation: Message[] = [{ role: 'user', content: 'Your task is to: put a mug in cabinet 3.' }];
      for (let i = 0; i < turns; i++) conversation.push(...turn(i));
      for (const budget of [0, 64, 200]) {
        const expected = local.fits!(conversation, budget);
        expect(fits(conversation, budget)).toBe(expected);
        if (!expected) flips++;
      }
    }
    expect(flips).toBeGreaterThan(0); // the sweep crossed the window
    engine.dispose();
  });

  it('names the file when config.json has no usable window', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eto-window-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ max_position_embeddings: 'long' }));
    expect(() => checkpointContextWindow(dir)).toThrow(/config\.json.*max_position_embeddings/);
  });
});

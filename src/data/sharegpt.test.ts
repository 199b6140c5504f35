import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toSftMessages, toTrlPreference } from './export.ts';
import { importShareGptFile } from './sharegpt.ts';
import { PairSchema, TrajectorySchema } from './schemas.ts';

const record = {
  id: 7,
  game_file: '/data/json_2.1.1/train/pick_and_place_simple-Cup-None-Shelf-7/trial_T2019_01/game.tw-pddl',
  conversations: [
    { from: 'human', value: 'Interact with a household.' },
    { from: 'gpt', value: 'OK' },
    { from: 'human', value: 'You are in the middle of a room.\nYour task is to: put a cup in shelf.' },
    { from: 'gpt', value: 'Thought: find a cup.\nAction: go to shelf 1' },
    { from: 'human', value: 'Observation: On the shelf 1, you see a cup 1.' },
    { from: 'gpt', value: 'Thought: here.\nAction: take cup 1 from shelf 1' },
  ],
};

describe('ETO ShareGPT import', () => {
  it('maps roles, keys ALFWorld tasks by trial folder and counts steps without the OK turn', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'eto-sg-')), 'alfworld_sft.json');
    writeFileSync(file, JSON.stringify([record, { ...record, id: 8, game_file: undefined, reward: 0.75 }]));
    const [first, second] = importShareGptFile(file, { env: 'alfworld', split: 'train' });
    expect(TrajectorySchema.parse(first)).toBeTruthy();
    expect(first?.task).toBe('trial_T2019_01');
    expect(first?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    expect(first?.steps).toBe(2);
    expect(first?.reward).toBe(1);
    expect(first?.success).toBe(true);
    expect(second?.task).toBe('8');
    expect(second?.reward).toBe(0.75);
    expect(second?.success).toBe(false);
    expect(toSftMessages(first!)).toEqual({ messages: first?.messages });
  });

  it('reads JSONL and names the line of a bad record', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'eto-sg-')), 'x.jsonl');
    writeFileSync(file, JSON.stringify(record) + '\n' + JSON.stringify({ id: 1, conversations: [{ from: 'bot', value: '' }] }) + '\n');
    expect(() => importShareGptFile(file, { env: 'alfworld', split: 'train' })).toThrow(`${file}:2: conversations`);
    const ending = { ...record, conversations: record.conversations.slice(0, 5) };
    writeFileSync(file, JSON.stringify(ending) + '\n');
    expect(() => importShareGptFile(file, { env: 'alfworld', split: 'train' })).toThrow(`${file}:1: conversations must end with a gpt turn`);
  });

  it('exports pairs in TRL conversational preference form', () => {
    const pair = PairSchema.parse({
      id: 'p', task: '1', kind: 'trajectory', chosenReward: 1, rejectedReward: 0,
      prompt: [{ role: 'user', content: 'u' }], chosen: [{ role: 'assistant', content: 'a' }], rejected: [{ role: 'assistant', content: 'b' }],
    });
    expect(toTrlPreference(pair)).toEqual({ prompt: pair.prompt, chosen: pair.chosen, rejected: pair.rejected });
  });
});

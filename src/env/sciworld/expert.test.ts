import { describe, expect, it } from 'vitest';
import { runScriptedEpisode } from '../../agent/episode.ts';
import { FAMILIES } from './families.ts';
import { sciworld } from './index.ts';
import { splitSize, taskAt } from './splits.ts';

describe('sciworld gold experts', () => {
  for (const split of ['seen', 'unseen'] as const) {
    it(`score 100 on every ${split} task of every supported family`, () => {
      const env = sciworld.create();
      const size = splitSize(FAMILIES, split);
      const failures: string[] = [];
      for (let task = 0; task < size; task++) {
        const trajectory = runScriptedEpisode(sciworld, env, { split, task }, (e, r) => sciworld.createExpert(e, r, 0),
          { id: `${split}/${task}`, source: 'expert', iteration: 0, policy: 'gold' });
        const { family, variation } = taskAt(FAMILIES, split, task);
        if (trajectory.reward !== 1 || trajectory.endReason !== 'success') failures.push(`${family.name}/${variation}: ${trajectory.reward}`);
        expect(trajectory.steps).toBeLessThanOrEqual(family.maxSteps);
        // Gold paths never produce unparsable actions, and answer an ambiguity prompt (the grow tasks'
        // identical seeds and soil) with a bare number that the env accepts.
        trajectory.messages.forEach((message, i) => {
          if (message.role !== 'user') return;
          expect(message.content).not.toMatch(/No known action|ERROR: /);
          if (message.content.includes('Ambiguous request')) {
            expect(['grow-plant', 'grow-fruit']).toContain(family.name);
            expect(trajectory.messages[i + 1]?.content).toMatch(/\nAction: \d+$/);
          }
        });
      }
      expect(failures).toEqual([]);
    });
  }
});

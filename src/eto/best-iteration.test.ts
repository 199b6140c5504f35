import { describe, expect, it } from 'vitest';
import type { StageResult } from '../data/schemas.ts';
import { bestOnDev } from './best-iteration.ts';

// only stage, split and avgReward matter to the choice
const result = (stage: string, split: string, avgReward: number): StageResult => ({
  stage,
  split,
  avgReward,
  successRate: avgReward,
  avgSteps: 5,
  episodes: 10,
});

describe('bestOnDev', () => {
  it('picks the iteration with the highest dev reward, ignoring test splits', () => {
    const results = [
      result('sft', 'dev', 0.3),
      result('eto-1', 'dev', 0.35),
      result('eto-2', 'dev', 0.4),
      result('eto-3', 'dev', 0.38),
      result('eto-3', 'seen', 0.9),
    ];
    expect(bestOnDev(results, 'dev', 3)).toEqual({ eto: 'eto-2', overall: 'eto-2' });
  });

  it('keeps SFT overall when every iteration ends below it on dev, while still naming the best iteration', () => {
    const results = [result('sft', 'dev', 0.5), result('eto-1', 'dev', 0.2), result('eto-2', 'dev', 0.45)];
    expect(bestOnDev(results, 'dev', 2)).toEqual({ eto: 'eto-2', overall: 'sft' });
  });

  it('ties keep the earlier stage: SFT over an equal iteration, eto-1 over an equal eto-2', () => {
    const results = [result('sft', 'dev', 0.4), result('eto-1', 'dev', 0.4), result('eto-2', 'dev', 0.4)];
    expect(bestOnDev(results, 'dev', 2)).toEqual({ eto: 'eto-1', overall: 'sft' });
  });

  it('without iterations both are SFT', () => {
    expect(bestOnDev([result('sft', 'dev', 0.1)], 'dev', 0)).toEqual({ eto: 'sft', overall: 'sft' });
  });
});

import { describe, expect, it } from 'vitest';
import type { Trajectory } from '../data/schemas.ts';
import { SummarySchema } from '../data/schemas.ts';
import { pairedComparison, stageResult } from './metrics.ts';
import { formatSummaryMarkdown } from './table.ts';

function episode(task: number, reward: number, steps: number): Trajectory {
  return {
    id: `e${task}`, env: 'toy', split: 'seen', task: String(task), source: 'eval', iteration: 0,
    messages: [{ role: 'user', content: 'x' }], reward, success: reward >= 1, steps, endReason: reward >= 1 ? 'success' : 'max_steps', policy: 'p',
  };
}

describe('metrics', () => {
  it('averages reward and success ×100 and steps', () => {
    const result = stageResult('sft', 'seen', [episode(0, 1, 4), episode(1, 0, 10), episode(2, 0.5, 7)]);
    expect(result).toEqual({ stage: 'sft', split: 'seen', avgReward: 50, successRate: 100 / 3, avgSteps: 7, episodes: 3 });
  });

  it('paired comparison: mean difference on shared tasks and an interval that contains it', () => {
    const sft = [0, 1, 0, 1, 0, 1, 0, 0].map((r, i) => episode(i, r, 5));
    const eto = [1, 1, 0, 1, 1, 1, 0, 0].map((r, i) => episode(i, r, 5));
    const c = pairedComparison(eto, [...sft, episode(99, 1, 1)], { stage: 'eto-1', baseline: 'sft', split: 'seen', seed: 3 });
    expect(c.episodes).toBe(8);
    expect(c.diff).toBeCloseTo(25, 12);
    expect(c.ciLow).toBeLessThanOrEqual(c.diff);
    expect(c.ciHigh).toBeGreaterThanOrEqual(c.diff);
    // differences are 0 or +100: the interval stays within [0, 100] and is not degenerate
    expect(c.ciLow).toBeGreaterThanOrEqual(0);
    expect(c.ciHigh).toBeLessThanOrEqual(100);
    expect(c.ciHigh - c.ciLow).toBeGreaterThan(10);
    // identical stages: zero difference, zero width
    const same = pairedComparison(sft, sft, { stage: 'sft', baseline: 'sft', split: 'seen', seed: 1 });
    expect([same.diff, same.ciLow, same.ciHigh]).toEqual([0, 0, 0]);
  });

  it('formats the summary table with one row per stage', () => {
    const summary = SummarySchema.parse({
      env: 'toy', preset: 'smoke', seed: 1, best: 'eto-1', wallSeconds: 12,
      results: [stageResult('sft', 'seen', [episode(0, 1, 4)]), stageResult('eto-1', 'seen', [episode(0, 0, 9)]), stageResult('sft', 'dev', [episode(0, 1, 4)])],
    });
    const text = formatSummaryMarkdown(summary);
    expect(text).toContain('| sft ');
    expect(text).toContain('| eto-1 (best on dev) | 0.0 ');
    expect(text).toContain('Dev split');
  });
});

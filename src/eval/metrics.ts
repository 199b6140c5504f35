// Evaluation metrics: a stage's average reward, success rate and steps on a split (×100, as ETO reports),
// and paired comparisons of two stages on the same tasks with a seeded bootstrap 95% interval.
import type { Comparison, StageResult, Trajectory } from '../data/schemas.ts';
import { Rng } from '../rng.ts';

export function stageResult(stage: string, split: string, trajectories: readonly Trajectory[]): StageResult {
  const n = trajectories.length;
  const sum = (pick: (t: Trajectory) => number): number => trajectories.reduce((total, t) => total + pick(t), 0);
  return {
    stage,
    split,
    avgReward: n === 0 ? 0 : (100 * sum((t) => t.reward)) / n,
    successRate: n === 0 ? 0 : (100 * sum((t) => (t.success ? 1 : 0))) / n,
    avgSteps: n === 0 ? 0 : sum((t) => t.steps) / n,
    episodes: n,
  };
}

export interface ComparisonOptions {
  stage: string;
  baseline: string;
  split: string;
  seed: number;
  resamples?: number;
}

/**
 * Mean per-task reward difference (stage − baseline) ×100 over the tasks both evaluated, with a
 * percentile-bootstrap 95% interval over tasks (pairing removes the task-difficulty variance).
 */
export function pairedComparison(stage: readonly Trajectory[], baseline: readonly Trajectory[], options: ComparisonOptions): Comparison {
  const baselineByTask = new Map(baseline.map((t) => [t.task, t.reward]));
  const diffs: number[] = [];
  for (const t of stage) {
    const other = baselineByTask.get(t.task);
    if (other !== undefined) diffs.push(100 * (t.reward - other));
  }
  const n = diffs.length;
  const mean = (values: readonly number[]): number => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
  const diff = mean(diffs);
  let ciLow = diff;
  let ciHigh = diff;
  if (n > 1) {
    const rng = new Rng(options.seed);
    const resamples = options.resamples ?? 2000;
    const means = new Float64Array(resamples);
    for (let r = 0; r < resamples; r++) {
      let total = 0;
      for (let i = 0; i < n; i++) total += diffs[rng.int(n)] as number;
      means[r] = total / n;
    }
    means.sort();
    ciLow = means[Math.floor(0.025 * (resamples - 1))] as number;
    ciHigh = means[Math.ceil(0.975 * (resamples - 1))] as number;
  }
  return { stage: options.stage, baseline: options.baseline, split: options.split, diff, ciLow, ciHigh, episodes: n };
}

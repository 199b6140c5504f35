import { describe, expect, it } from 'vitest';
import { checkEnv } from '../check-env.ts';
import { sciworld } from './index.ts';

describe('sciworld conformance', () => {
  it('passes checkEnv on every split', () => {
    const report = checkEnv(sciworld, { tasksPerSplit: 3, steps: 40 });
    expect(report.problems).toEqual([]);
    expect(report.expertSuccesses).toBe(12); // 3 tasks × 4 splits, all solved
  });
});

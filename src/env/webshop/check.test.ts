import { describe, expect, it } from 'vitest';
import { checkEnv } from '../check-env.ts';
import { webshop } from './index.ts';

describe('checkEnv(webshop)', () => {
  it('conforms to the Env contract on the default generated catalogue', () => {
    // The expert is imperfect by design (mean reward ≈ 0.9), so success on every sampled task is not required.
    const report = checkEnv(webshop, { tasksPerSplit: 3, steps: 30, requireExpertSuccess: false, invalidActions: ['click[search]', 'search[]', 'click[nothing here]'] });
    expect(report.episodes).toBeGreaterThanOrEqual(18);
    expect(report.steps).toBeGreaterThan(100);
  });
});

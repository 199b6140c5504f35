import { describe, expect, it } from 'vitest';
import { bestScore } from './harness.ts';
import { loadTask } from './test-helpers.ts';
import type { StepResult } from '../types.ts';

describe('sciworld scoring', () => {
  it('fails with −1 and ends the task on a wrong focus; the ETO reward clamps at 0', () => {
    const env = loadTask('boil', 0);
    env.step('teleport to kitchen');
    const result = env.step('focus on picture');
    expect(result.info.score).toBe(-1);
    expect(result.terminated).toBe(true);
    expect(bestScore([result])).toBe(0);
    expect(() => env.step('look around')).toThrow(/after the episode ended/);
  });

  it('gives the optional-subgoal bonus in units of (1/(|S|+1))/|U|', () => {
    // find-animal: |S| = 2, |U| = 3, so one optional subgoal is worth (1/3)/3 = 1/9.
    const env = loadTask('find-animal', 0); // the red box is in the kitchen
    expect(env.goals.ordered).toHaveLength(2);
    expect(env.goals.unordered).toHaveLength(3);
    env.step('teleport to outside');
    expect(env.step('look around').info.score).toBe(0);
    env.step('teleport to kitchen');
    expect(env.step('look around').info.score).toBeCloseTo(1 / 9, 12);
    env.step('teleport to outside');
    const animal = env.world.rooms.get('outside')?.contents.find((t) => t.kind === 'animal');
    expect(env.step(`focus on ${animal?.name}`).info.score).toBeCloseTo(1 / 2 + 1 / 9, 12);
    expect(env.step(`pick up ${animal?.name}`).info.score).toBeCloseTo(1 / 2 + 2 / 9, 12);
    env.step('teleport to kitchen'); // new location for the animal: the third optional goal
    const done = env.step(`move ${animal?.name} to red box`);
    expect(done.info.score).toBe(1);
    expect(done.info.won).toBe(true);
    expect(done.terminated).toBe(true);
  });

  it('jumps to 2/3 when focusing on water that is already liquid', () => {
    const env = loadTask('boil', 0);
    env.step('teleport to outside');
    const score = env.step('focus on water').info.score as number;
    // 2 of 3 ordered goals, plus "be in same location as water" and "alone in a single container": 2·(1/4)/|U|.
    const optional = env.goals.unordered.length;
    expect(score).toBeCloseTo(2 / 3 + 2 * (1 / 4) / optional, 12);
  });

  it('records the best score seen as the ETO reward, even after a later failure', () => {
    const env = loadTask('lifespan-longest-lived-then-shortest-lived', 7);
    const longest = env.setup.facts.longest as string;
    const steps: StepResult[] = [env.step('teleport to outside'), env.step(`focus on ${longest}`)];
    expect(steps[1]?.info.score).toBe(0.5);
    const medium = env.world.rooms.get('outside')?.contents.find(
      (t) => t.kind === 'animal' && t.name !== longest && t.name !== env.setup.facts.shortest);
    steps.push(env.step(`focus on ${medium?.name}`));
    expect(steps[2]?.info.score).toBe(-1);
    expect(steps[2]?.terminated).toBe(true);
    expect(bestScore(steps)).toBe(0.5);
  });
});

describe('sciworld combustion in boil', () => {
  it('accepts combusting the focused substance as boiling it, once it has been liquid', () => {
    const env = loadTask('boil', 12); // marshmallow, in the kitchen cupboard
    env.step('teleport to kitchen');
    env.step('pick up lighter');
    env.step('focus on marshmallow');
    env.step('move marshmallow to metal pot');
    env.step('move metal pot to stove');
    env.step('activate stove');
    const marshmallow = env.focus;
    for (let i = 0; i < 100 && marshmallow?.matter?.state === 'solid'; i++) env.step('wait1');
    expect(marshmallow?.name).toBe('liquid marshmallow');
    expect(env.goals.passed).toBe(2);
    const lit = env.step('use lighter on liquid marshmallow');
    expect(lit.observation).toBe('The liquid marshmallow is now on fire.');
    expect(lit.info.won).toBe(true);
    expect(lit.terminated).toBe(true);
  });
});

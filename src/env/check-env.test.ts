import { describe, expect, it } from 'vitest';
import { EnvError } from '../errors.ts';
import { checkEnv, findEnvProblems } from './check-env.ts';
import type { Env, EnvModule, ResetOptions, StepResult } from './types.ts';

// A line of ten rooms; `go to N` walks, reaching the target wins. Flags break one rule each.
interface Faults {
  junkIsValid?: boolean;
  nondeterministic?: boolean;
  noThrowAfterEnd?: boolean;
}

function lineEnv(faults: Faults): EnvModule {
  let counter = 0;
  const create = (): Env => {
    let state: { position: number; target: number; done: boolean; taskId: string } | undefined;
    const valid = (): string[] => Array.from({ length: 10 }, (_, i) => `go to ${i}`);
    return {
      name: 'line',
      reset(options: ResetOptions) {
        if (options.split !== 'train' || !Number.isInteger(options.task) || options.task < 0 || options.task >= 5) {
          throw new EnvError(`bad task ${options.split}/${options.task}`);
        }
        state = { position: 0, target: (options.task % 9) + 1, done: false, taskId: `train/${options.task}` };
        return { observation: `Go to room ${state.target}.`, info: { taskId: state.taskId, validActions: valid() } };
      },
      step(action: string): StepResult {
        if (!state || (state.done && !faults.noThrowAfterEnd)) throw new EnvError('step after the end');
        const match = /^go to (\d)$/.exec(action.trim());
        const info = { taskId: state.taskId, validActions: valid() };
        if (!match) {
          return { observation: 'Nothing happens.', reward: 0, terminated: false, truncated: false, info: { ...info, invalidAction: !faults.junkIsValid } };
        }
        state.position = Number(match[1]);
        state.done = state.position === state.target;
        const text = faults.nondeterministic ? `Room ${state.position} (${counter++}).` : `Room ${state.position}.`;
        return { observation: text, reward: state.done ? 1 : 0, terminated: state.done, truncated: false, info: { ...info, won: state.done } };
      },
    };
  };
  return {
    name: 'line',
    description: 'test env',
    splits: () => [{ name: 'train', size: 5, role: 'train' }],
    create,
    harness: {
      instruction: 'Walk.',
      iclExample: [],
      taskMessage: (reset) => reset.observation,
      formatObservation: (o) => `Observation: ${o}`,
      parseAction: (reply) => /Action:\s?(.*)/.exec(reply)?.[1]?.trim() ?? null,
      invalidFormatMessage: 'No action.',
      maxSteps: () => 10,
      episodeReward: (steps) => (steps.some((s) => s.reward > 0) ? 1 : 0),
      isSuccess: (reward) => reward >= 1,
    },
    createExpert: (_env, reset) => ({ act: () => `Thought: go.\nAction: go to ${/room (\d)/.exec(reset.observation)?.[1]}` }),
  };
}

describe('checkEnv', () => {
  it('passes a conforming env and counts its work', () => {
    const report = checkEnv(lineEnv({}), { steps: 40 });
    expect(report.problems).toEqual([]);
    expect(report.expertSuccesses).toBe(2);
    expect(report.steps).toBeGreaterThan(4);
    expect(report.episodes).toBe(4);
  });

  it('finds a junk action treated as valid', () => {
    const { problems } = findEnvProblems(lineEnv({ junkIsValid: true }), { steps: 40 });
    expect(problems.some((p) => p.includes('did not set info.invalidAction'))).toBe(true);
  });

  it('finds nondeterministic steps', () => {
    const { problems } = findEnvProblems(lineEnv({ nondeterministic: true }), { steps: 40 });
    expect(problems.some((p) => p.includes('different results on two envs'))).toBe(true);
    expect(() => checkEnv(lineEnv({ nondeterministic: true }))).toThrow(/checkEnv\(line\)/);
  });

  it('finds a step after the end that does not throw', () => {
    const { problems } = findEnvProblems(lineEnv({ noThrowAfterEnd: true }), { steps: 200, tasksPerSplit: 5 });
    expect(problems.some((p) => p.includes('after the end did not throw'))).toBe(true);
  });
});

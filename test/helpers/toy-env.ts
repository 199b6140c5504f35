// A toy env for pipeline tests before/without the real benchmarks: walk along a line of rooms to a
// target room. Task k of a split starts in room k mod 3 with a different target room; `go to N` moves.
// The expert walks straight there. Deterministic; invalid actions answer `Nothing happens.`.
import type { Env, EnvModule, ResetOptions, ResetResult, StepResult } from '../../src/env/types.ts';

interface ToyState {
  position: number;
  target: number;
  done: boolean;
}

function taskOf(options: ResetOptions): { start: number; target: number } {
  const offset = options.split === 'unseen' ? 5 : 0;
  const start = options.task % 3;
  return { start, target: (start + 1 + ((options.task * 7 + offset) % 9)) % 10 };
}

function createToyEnv(): Env {
  let state: ToyState = { position: 0, target: 0, done: true };
  return {
    name: 'toy',
    reset(options: ResetOptions): ResetResult {
      const { start, target } = taskOf(options);
      state = { position: start, target, done: false };
      return {
        observation: `You are in room ${start}.\nYour task is to: go to room ${target}.`,
        info: { taskId: `${options.split}/${options.task}` },
      };
    },
    step(action: string): StepResult {
      if (state.done) throw new Error('step after the end');
      const match = /^go to (\d)$/.exec(action.trim());
      if (!match) {
        return { observation: 'Nothing happens.', reward: 0, terminated: false, truncated: false, info: { taskId: 'toy' } };
      }
      state.position = Number(match[1]);
      const won = state.position === state.target;
      state.done = won;
      return { observation: `You are in room ${state.position}.`, reward: won ? 1 : 0, terminated: won, truncated: false, info: { taskId: 'toy', won } };
    },
  };
}

export const toyEnv: EnvModule = {
  name: 'toy',
  description: 'walk to a target room (tests only)',
  splits: () => [
    { name: 'train', size: 40, role: 'train' },
    { name: 'dev', size: 10, role: 'dev' },
    { name: 'seen', size: 10, role: 'test', generalisation: 'seen' },
    { name: 'unseen', size: 10, role: 'test', generalisation: 'unseen' },
  ],
  create: createToyEnv,
  harness: {
    instruction: 'Walk to the room named in the task. Answer with Thought: ...\nAction: go to N',
    iclExample: [
      { role: 'user', content: 'You are in room 1.\nYour task is to: go to room 2.' },
      { role: 'assistant', content: 'Thought: I go to room 2.\nAction: go to 2' },
      { role: 'user', content: 'Observation: You are in room 2.' },
    ],
    taskMessage: (reset) => reset.observation,
    formatObservation: (observation) => `Observation: ${observation}`,
    parseAction(reply) {
      const match = /Action:\s?(.*)/s.exec(reply);
      return match ? (match[1] ?? '').trim() : null;
    },
    invalidFormatMessage: "Observation: Error Input. Your input must contains 'Action: '",
    maxSteps: () => 4,
    episodeReward: (steps) => (steps.some((step) => step.reward > 0) ? 1 : 0),
    isSuccess: (reward) => reward >= 1,
  },
  createExpert(_env, reset) {
    const target = Number(/go to room (\d)/.exec(reset.observation)?.[1] ?? 0);
    return { act: () => `Thought: I go to room ${target}.\nAction: go to ${target}` };
  },
  corpus: () => ['You are in room 0 1 2 3 4 5 6 7 8 9. Your task is to: go to room Nothing happens.'],
};

// Small ALFWorld-shaped pairs and trajectories (multi-turn, with observations) for the Python hand-off tests.
import type { Message, Pair, Trajectory } from '../../src/data/schemas.ts';

const prompt: Message[] = [
  { role: 'user', content: 'Interact with a household to solve a task.' },
  { role: 'assistant', content: 'OK' },
  { role: 'user', content: 'You are in the middle of a room.\nYour task is to: put a cup in shelf.' },
];

function turn(target: string, observation?: string): Message[] {
  const act: Message = { role: 'assistant', content: `Thought: I should try ${target}.\nAction: go to ${target}` };
  return observation === undefined ? [act] : [act, { role: 'user', content: `Observation: ${observation}` }];
}

export function fixturePairs(count: number): Pair[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `pair-${i}`,
    task: `task-${i}`,
    prompt,
    kind: 'trajectory' as const,
    chosenReward: 1,
    rejectedReward: 0,
    chosen: [...turn(`shelf ${i}`, `On the shelf ${i}, you see a cup ${i}.`), ...turn(`cup ${i}`)],
    rejected: [...turn(`desk ${i + 1}`, 'Nothing happens.'), ...(i % 2 ? turn(`drawer ${i}`) : [])],
  }));
}

export function fixtureTrajectories(count: number): Trajectory[] {
  return fixturePairs(count).map((pair, i) => ({
    id: `traj-${i}`,
    env: 'alfworld',
    split: 'train',
    task: pair.task,
    source: 'expert',
    iteration: 0,
    messages: [...pair.prompt, ...pair.chosen],
    reward: 1,
    success: true,
    steps: 2,
    endReason: 'success',
    policy: 'expert',
  }));
}

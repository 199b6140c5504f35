// Turns a family's gold plan into a ScriptedAgent: each act() takes the plan's next step and writes it
// as `Thought: …\nAction: …`. When a plan runs out before the episode ends it waits (never happens for
// supported families; the expert tests check that).
import type { ScriptedAgent } from '../types.ts';
import type { ExpertStep } from './family.ts';
import type { SciWorldEnv } from './sciworld-env.ts';

export function createGoldAgent(env: SciWorldEnv): ScriptedAgent {
  const plan = env.family.expert(env);
  return {
    act(): string {
      const next = plan.next();
      const stepToTake: ExpertStep = next.done
        ? { thought: 'I have done what the task needs, so I wait for the result.', action: 'wait1' }
        : next.value;
      return `Thought: ${stepToTake.thought}\nAction: ${stepToTake.action}`;
    },
  };
}

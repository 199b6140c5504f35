// The ETO harness for ScienceWorld: ETO's instruction file and green-paint example verbatim, the task
// sentence as the first message, `Observation: ` prefix, per-task step caps, and the best-score reward.
import type { Message } from '../../data/schemas.ts';
import { INVALID_FORMAT, parseAction } from '../eto-action.ts';
import type { EtoHarness, ResetResult, StepResult } from '../types.ts';

export const INSTRUCTION = `You are a helpful assistant to do some scientific experiment in an environment.
In the environment, there are several rooms: kitchen, foundry, workshop, bathroom, outside, living room, bedroom, greenhouse, art studio, hallway
You should explore the environment and find the items you need to complete the experiment.
You can teleport to any room in one step.
All containers in the environment have already been opened, you can directly get items from the containers.

The available actions are:
open OBJ: open a container
close OBJ: close a container
activate OBJ: activate a device
deactivate OBJ: deactivate a device
connect OBJ to OBJ: connect electrical components
disconnect OBJ: disconnect electrical components
use OBJ [on OBJ]: use a device/item
look around: describe the current room
examine OBJ: describe an object in detail
look at OBJ: describe a container's contents
read OBJ: read a note or book
move OBJ to OBJ: move an object to a container
pick up OBJ: move an object to the inventory
pour OBJ into OBJ: pour a liquid into a container
mix OBJ: chemically mix a container
teleport to LOC: teleport to a specific room
focus on OBJ: signal intent on a task object
wait: task no action for 10 steps
wait1: task no action for a step`;

const turn = (role: 'user' | 'assistant', content: string): Message => ({ role, content });

export const ICL_EXAMPLE: Message[] = [
  turn('user', 'Your task is to use chemistry to create green paint. When you are done, focus on the green paint.'),
  turn('assistant', 'Thought: I need to find materials to create green paint, which are likely to be found in an art studio.\nAction: look around'),
  turn('user', 'Observation: This room is called the bedroom. In it, you see: \n\tthe agent\n\ta substance called air\n\ta bed. On the bed is: a mattress. On the mattress is: a white pillow..\n\ta closet. The closet door is open. In the closet is: nothing.\n\ta picture\n\ta table. On the table is: nothing.\nYou also see:\n\tA door to the hallway (that is open)'),
  turn('assistant', "Thought: The bedroom doesn't have the materials I need. I should go to a place where paint and painting supplies are likely to be found, such as an art studio.\nAction: teleport to art studio"),
  turn('user', 'Observation: You teleport to the art studio.'),
  turn('assistant', "Thought: Now that I'm in the art studio, I should look around to find the necessary materials to create green paint.\nAction: look around"),
  turn('user', 'Observation: This room is called the art studio. In it, you see: \n\tthe agent\n\ta substance called air\n\ta large cupboard. The large cupboard door is open. In the large cupboard is: a drawer, a wood cup (containing yellow paint), a wood cup (containing blue paint), a wood cup (containing red paint).\n\ta table. On the table is: a glass cup (containing nothing).\n\ta wood cup (containing yellow paint)\n\ta wood cup (containing blue paint)\n\ta wood cup (containing red paint)\nYou also see:\n\tA door to the hallway (that is open)'),
  turn('assistant', 'Thought: I see blue paint here, which is one of the primary colors needed to mix green paint. I should start by pouring it into an empty container to mix with another color.\nAction: pour cup containing blue paint in art studio in cup containing nothing'),
  turn('user', 'Observation: You pour the contents of the wood cup into the glass cup.'),
  turn('assistant', 'Thought: Yellow paint is the other primary color needed to mix with blue to create green. I should add the yellow paint to the container with blue paint.\nAction: pour cup containing yellow paint in art studio in cup containing blue paint in table'),
  turn('user', 'Observation: You pour the contents of the wood cup into the glass cup.'),
  turn('assistant', 'Thought: Now that I have both blue and yellow paint in the same container, I need to mix them together to create green paint.\nAction: mix cup containing blue paint and yellow paint'),
  turn('user', 'Observation: Blue and yellow paint mix to produce green paint.'),
  turn('assistant', 'Thought: The task is to create green paint and then focus on it. Now that the green paint is made, I should concentrate on the final product.\nAction: focus on green paint'),
];

/** ETO's reward: the best raw score seen in the episode, clamped at 0 (a first-step failure would be −1). */
export function bestScore(steps: readonly StepResult[]): number {
  let best = 0;
  for (const result of steps) {
    const score = result.info.score;
    if (typeof score === 'number' && score > best) best = score;
  }
  return best;
}

export function makeHarness(stepCap: (taskName: string) => number): EtoHarness {
  return {
    instruction: INSTRUCTION,
    iclExample: ICL_EXAMPLE,
    // The ICL example shows the bare task sentence, so the first task message is that sentence too.
    taskMessage: (reset: ResetResult) => String(reset.info.taskDescription ?? ''),
    formatObservation: (observation) => `Observation: ${observation}`,
    parseAction,
    invalidFormatMessage: INVALID_FORMAT,
    maxSteps: (reset: ResetResult) => stepCap(String(reset.info.taskName ?? '')),
    episodeReward: bestScore,
    isSuccess: (reward) => reward >= 1,
  };
}

// The ETO harness for ALFWorld (benchmarks.md §0.1, §2.8; eto-method.md §2): ETO's instruction text, a
// toiletpaper one-shot example, the intro minus its banner as the first task message, `Observation: `
// with the `You arrive at loc N. ` prefix removed, `Action:\s?(.*)` parsing, ETO's error text, 40 steps.
import type { Message } from '../../data/schemas.ts';
import type { EtoHarness, ResetResult, StepResult } from '../types.ts';

// ETO's alfworld_inst.txt; the `\\n` inside the format line is a literal backslash-n in the file.
export const INSTRUCTION =
  'Interact with a household to solve a task. Imagine you are an intelligent agent in a household environment and your target is to perform actions to complete the task goal. At the beginning of your interactions, you will be given the detailed description of the current environment and your goal to accomplish. \n' +
  'For each of your turn, you will be given the observation of the last turn. You should first think about the current condition and plan for your future actions, and then output your action in this turn. Your output must strictly follow this format:"Thought: your thoughts.\\nAction: your next action".\n\n' +
  'The available actions are:\n1. go to {recep}\n2. take {obj} from {recep}\n3. put {obj} in/on {recep}\n4. open {recep}\n5. close {recep}\n6. toggle {obj} {recep}\n7. clean {obj} with {recep}\n8. heat {obj} with {recep}\n9. cool {obj} with {recep}\n' +
  'where {obj} and {recep} correspond to objects and receptacles.\n' +
  'After your each turn, the environment will give you immediate feedback based on which you plan your next few steps. if the envrionment output "Nothing happened", that means the previous action is invalid and you should try more options.\n\n' +
  'Your response should use the following format:\n\nThought: <your thoughts>\nAction: <your next action>';

export const INVALID_FORMAT = "Observation: Error Input. Your input must contains 'Action: '";
export const MAX_STEPS = 40;

const turn = (role: 'user' | 'assistant', content: string): Message => ({ role, content });

export const ICL_EXAMPLE: Message[] = [
  turn('user', 'You are in the middle of a room. Looking quickly around you, you see a bathtubbasin 1, a cabinet 2, a cabinet 1, a countertop 1, a garbagecan 1, a handtowelholder 1, a sinkbasin 1, a toilet 1, a toiletpaperhanger 1, and a towelholder 1.\nYour task is to: put some toiletpaper on toiletpaperhanger.'),
  turn('assistant', 'Thought: To solve the task, I need to find and take a toiletpaper, then put it in/on toiletpaperhanger. First I check whether the toiletpaperhanger 1 already holds one.\nAction: go to toiletpaperhanger 1'),
  turn('user', 'Observation: On the toiletpaperhanger 1, you see nothing.'),
  turn('assistant', 'Thought: There is no toiletpaper on the toiletpaperhanger 1. A toiletpaper is often on the toilet, so I check toilet 1.\nAction: go to toilet 1'),
  turn('user', 'Observation: On the toilet 1, you see a soapbottle 1, and a toiletpaper 1.'),
  turn('assistant', 'Thought: There is toiletpaper 1 on the toilet 1. I take toiletpaper 1 from toilet 1.\nAction: take toiletpaper 1 from toilet 1'),
  turn('user', 'Observation: You pick up the toiletpaper 1 from the toilet 1.'),
  turn('assistant', 'Thought: Now I have toiletpaper 1. Next, I need to put it in/on toiletpaperhanger 1.\nAction: go to toiletpaperhanger 1'),
  turn('user', 'Observation: On the toiletpaperhanger 1, you see nothing.'),
  turn('assistant', 'Thought: I am at toiletpaperhanger 1 with toiletpaper 1. I put toiletpaper 1 in/on toiletpaperhanger 1.\nAction: put toiletpaper 1 in/on toiletpaperhanger 1'),
];

/** ETO's `process_ob`: drop everything up to the first `. ` of an arrival text. */
export function stripArrival(observation: string): string {
  if (!observation.startsWith('You arrive at loc ')) return observation;
  return observation.slice(observation.indexOf('. ') + 2);
}

/** The intro without its banner paragraph, the rest joined by one newline. */
export function taskMessageOf(observation: string): string {
  return observation.split('\n\n').slice(1).join('\n');
}

/** ETO's `Action:\s?(.*)` with DOTALL: everything after the first `Action:` and one optional whitespace. */
export function parseAction(reply: string): string | null {
  const match = /Action:\s?([\s\S]*)/.exec(reply);
  return match ? (match[1] ?? '') : null;
}

export const harness: EtoHarness = {
  instruction: INSTRUCTION,
  iclExample: ICL_EXAMPLE,
  taskMessage: (reset: ResetResult) => taskMessageOf(reset.observation),
  formatObservation: (observation: string) => `Observation: ${stripArrival(observation)}`,
  parseAction,
  invalidFormatMessage: INVALID_FORMAT,
  maxSteps: () => MAX_STEPS,
  episodeReward: (steps: readonly StepResult[]) => (steps.some((step) => step.info.won === true) ? 1 : 0),
  isSuccess: (reward: number) => reward >= 1,
};

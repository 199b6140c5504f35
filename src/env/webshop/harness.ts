// The ETO harness for WebShop: ETO's instruction file (line breaks ours), a one-shot example in the shape
// of ETO's l'eau d'issey purchase, the reset page as the first task message, `Observation:\n` prefix,
// 10 steps, and the purchase reward (0 when the cap ends the episode first).
import type { Message } from '../../data/schemas.ts';
import { INVALID_FORMAT, parseAction } from '../eto-action.ts';
import type { EtoHarness, StepResult } from '../types.ts';

export { INVALID_FORMAT, parseAction };

export const INSTRUCTION = `You are web shopping.
I will give you instructions about what to do.
You have to follow the instructions.
Every round I will give you an observation and a list of available actions, you have to respond an action based on the state and instruction.
You can use search action if search is available.
You can click one of the buttons in clickables.
An action should be of the following structure:
search[keywords]
click[value]
If the action is not valid, perform nothing.
Keywords in search are up to you, but the value in click must be a value in the list of available actions.
Remember that your keywords in search should be carefully designed.
Your response should use the following format:

Thought: I think ...
Action: click[something]`;

const GOAL = "i need a long lasting 6.76 fl oz bottle of l'eau d'issey, and price lower than 100.00 dollars";
const TITLE = "L'eau D'issey By Issey Miyake for MenEau De Toilette Spray, 6.7 Fl Oz Bottle";
// Only the first hit is ETO's; the other results of the example page are abridged to two invented ones.
const RESULTS = `Instruction: [SEP] ${GOAL} [SEP] Back to Search [SEP] Page 1 (Total results: 50) [SEP] Next > [SEP] B000VOHH8I [SEP] ${TITLE} [SEP] $64.98 [SEP] B000MJZOPK [SEP] L'eau d'Issey by Issey Miyake for Women 3.3 oz Eau de Toilette Spray [SEP] $49.98 [SEP] B0012S249E [SEP] L'eau D'issey Pour Homme Sport Eau de Toilette Spray, 3.3 Fl Oz [SEP] $41.8`;
const ITEM = `Instruction: [SEP] ${GOAL} [SEP] Back to Search [SEP] < Prev [SEP] size [SEP] 2.5 fl oz [SEP] 6.76 fl oz (pack of 1) [SEP] ${TITLE} [SEP] Price: $64.98 [SEP] Rating: N.A. [SEP] Description [SEP] Features [SEP] Reviews [SEP] Buy Now`;

const turn = (role: 'user' | 'assistant', content: string): Message => ({ role, content });

export const ICL_EXAMPLE: Message[] = [
  turn('user', `WebShop [SEP] Instruction: [SEP] ${GOAL} [SEP] Search`),
  turn('assistant', "Thought: I think I should use the search bar to look for the product I need.\nAction: search[l'eau d'issey 6.76 fl oz bottle price < 100.00]"),
  turn('user', `Observation:\n${RESULTS}`),
  turn('assistant', 'Thought: I think I should click on the product I need, which is B000VOHH8I.\nAction: click[B000VOHH8I]'),
  turn('user', `Observation:\n${ITEM}`),
  turn('assistant', "Thought: I think I should click on the '6.76 fl oz (pack of 1)' option to select the size I need.\nAction: click[6.76 fl oz (pack of 1)]"),
  turn('user', `Observation:\n${ITEM}`),
  turn('assistant', "Thought: I think I should click on the 'Buy Now' button to purchase the product.\nAction: click[Buy Now]"),
];

/** The purchase reward when `Buy Now` ended the episode; 0 otherwise (the step cap). */
export function purchaseReward(steps: readonly StepResult[]): number {
  const last = steps.at(-1);
  return last?.terminated ? last.reward : 0;
}

export const harness: EtoHarness = {
  instruction: INSTRUCTION,
  iclExample: ICL_EXAMPLE,
  taskMessage: (reset) => reset.observation,
  formatObservation: (observation) => `Observation:\n${observation}`,
  parseAction,
  invalidFormatMessage: INVALID_FORMAT,
  maxSteps: () => 10,
  episodeReward: purchaseReward,
  isSuccess: (reward) => reward >= 1,
};

// Measurement task 2-2 (measure-melting-point-known-substance): 7 substances × 5 presets (sorted by
// name) × 5 thresholds × 5 box pairs, an even half of them = 436 variations, all in the kitchen.
// S = [focus thermometer (then defocus), focus substance, focus the box the known melting point calls
// for (focusing the other box fails)]. Gold path: heat a solid (stove, or blast furnace from 200 °C)
// or cool a liquid in the freezer, examining and measuring until it changes state, then answer.
import { Rng } from '../../../rng.ts';
import type { ExpertStep, ExpertView, TaskFamily } from '../family.ts';
import { celsius, goTo, step, uniqueRef } from '../expert-kit.ts';
import {
  agentInRoom, deviceActive, focusAloneInContainer, focusInside, focusOn, inRoomWith, measuredFocus,
  temperatureChange, thingInDirectContainer,
} from '../goal-library.ts';
import type { Goal } from '../goals.ts';
import { GoalSequence } from '../goals.ts';
import { matterFor } from '../materials.ts';
import type { Thing } from '../things.ts';
import { descendants, putInside } from '../things.ts';
import type { World } from '../world.ts';
import { buildWorld, makers, room } from '../world.ts';
import { ANSWER_BOXES } from './find.ts';
import { fetchThermometer } from './thermometer.ts';

const PRESETS = [-10, 10, 50, 150, 200];
const SUBSTANCES = ['chocolate', 'gallium', 'lead', 'mercury', 'orange juice', 'tin', 'water']; // sorted by name
const BOXES = ANSWER_BOXES.map(([above, below]) => ({ above, below }));
const COMBINATIONS = SUBSTANCES.length * PRESETS.length * PRESETS.length * BOXES.length; // 875
const VARIATIONS = 436;

function placeSubstance(world: World, name: string, rng: Rng): Thing | null {
  const m = makers(world.factory);
  const kitchen = room(world, 'kitchen');
  const find = (holder: string): Thing => descendants(kitchen).find((t) => t.name === holder) as Thing;
  if (name === 'water') return null; // from the sink
  if (name === 'orange juice') return descendants(find('fridge')).find((t) => t.name === 'orange juice') as Thing;
  if (name === 'chocolate') {
    const chocolate = m.substance('chocolate', 2);
    putInside(chocolate, find('fridge'));
    return chocolate;
  }
  const cupName = rng.pick(['glass cup', 'wood cup', 'tin cup']);
  const cup = m.cup(cupName, [m.substance(name)], 'cup', 0.5);
  putInside(cup, kitchen);
  return cup.contents[0] as Thing;
}

function setup(variation: number) {
  const combination = Math.floor((variation * COMBINATIONS) / VARIATIONS);
  const perSubstance = PRESETS.length * PRESETS.length * BOXES.length;
  const name = SUBSTANCES[Math.floor(combination / perSubstance)] as string;
  const threshold = PRESETS[Math.floor(combination / BOXES.length) % PRESETS.length] as number;
  const boxes = BOXES[combination % BOXES.length] as (typeof BOXES)[number];
  const world = buildWorld(new Rng(3000 + variation));
  const target = placeSubstance(world, name, new Rng(3500 + variation));
  const m = makers(world.factory);
  putInside(m.cup(boxes.above, [], 'box'), room(world, 'kitchen'));
  putInside(m.cup(boxes.below, [], 'box'), room(world, 'kitchen'));
  const meltingPoint = matterFor(name).meltingPoint;
  const answer = meltingPoint >= threshold ? boxes.above : boxes.below;
  const wrong = answer === boxes.above ? boxes.below : boxes.above;
  const t = threshold.toFixed(1);
  const description = `Your task is to measure the melting point of ${name}, which is located around the kitchen. ` +
    `First, focus on the thermometer. Next, focus on the ${name}. ` +
    `If the melting point of ${name} is above ${t} degrees, focus on the ${boxes.above}. ` +
    `If the melting point of ${name} is below ${t} degrees, focus on the ${boxes.below}. ` +
    'The boxes are located around the kitchen.';
  const makeGoals = (): GoalSequence => {
    const ordered: Goal[] = [
      { ...focusOn('focus on thermometer', (x) => x.name === 'thermometer'), defocusOnPass: true },
      { ...focusOn('focus on substance', (x) => x.matter !== undefined && Object.values(x.matter.names).includes(name)) },
      {
        description: 'focus on correct answer box',
        check: ({ focus }) => (focus?.name === answer ? 'pass' : focus?.name === wrong ? 'fail' : 'none'),
      },
    ];
    const afterFocus = (goal: Goal): Goal => ({ ...goal, requires: ['focusObject'] });
    const unordered: Goal[] = [
      inRoomWith('thermometer'),
      thingInDirectContainer('inventory', ['thermometer'], 'have thermometer in inventory'),
      { ...focusOn('focused on the substance', (x) => x.matter !== undefined, false), key: 'focusObject' },
      agentInRoom('kitchen', 'move to a location with a heating device (kitchen)'),
      agentInRoom('foundry', 'move to a location with a heating device (foundry)'),
      measuredFocus('use thermometer on substance'),
      focusAloneInContainer(),
      deviceActive('stove'), deviceActive('blast furnace'), deviceActive('oven'),
      afterFocus(focusInside('stove', 'have substance on heater (stove)')),
      afterFocus(focusInside('blast furnace', 'have substance on heater (blast furnace)')),
      afterFocus(temperatureChange(20, 'heat substance by at least 20C')),
    ];
    return new GoalSequence(ordered, unordered);
  };
  return { world, description, makeGoals, facts: { name, answer, threshold, above: boxes.above, ...(target ? { target } : {}) } };
}

export const meltingPointFamily: TaskFamily = {
  name: 'measure-melting-point-known-substance',
  legacyName: 'task-10-measure-melting-point-(known-substance)',
  variations: VARIATIONS,
  maxSteps: 120,
  etoCounts: { train: 120, seen: 10, unseen: 10 },
  setup,
  expert: (view) => meltingExpert(view),
};

function* meltingExpert(view: ExpertView): Generator<ExpertStep, void, void> {
  const name = view.setup.facts.name as string;
  const answer = view.setup.facts.answer as string;
  const threshold = view.setup.facts.threshold as number;
  yield* fetchThermometer(view, `to measure the melting point of ${name}`);
  let sub: Thing;
  let container: Thing;
  if (name === 'water') {
    yield step('I need water in a container. I put the metal pot in the sink.', 'move metal pot to sink');
    yield step('Turning on the sink fills the pot with water.', 'activate sink');
    yield step('The pot has water now, so I turn the sink off.', 'deactivate sink');
    container = descendants(room(view.world, 'kitchen')).find((t) => t.name === 'metal pot') as Thing;
    yield step('I take the metal pot with the water.', 'pick up metal pot');
    sub = container.contents.find((t) => t.name === 'water') as Thing;
  } else {
    sub = view.setup.facts.target as Thing;
    container = sub.parent as Thing;
  }
  const solid = sub.matter?.state === 'solid';
  if (solid) {
    yield step(`The ${name} is solid, so I will heat it and watch for it to melt. First I focus on it.`, `focus on ${uniqueRef(view, sub, (r) => `focus on ${r}`)}`);
    yield step(`I put the ${name} in the metal pot so it can be heated.`, `move ${uniqueRef(view, sub, (r) => `move ${r} to metal pot`)} to metal pot`);
    const meltingPoint = sub.matter?.meltingPoint ?? 0;
    if (meltingPoint < 200) {
      yield step('I put the metal pot on the stove.', 'move metal pot to stove');
      yield step('I turn on the stove to heat the pot.', 'activate stove');
    } else {
      yield step(`The ${name} probably melts above what the stove can reach, so I take the pot to the blast furnace.`, 'pick up metal pot');
      yield* goTo(view, 'foundry', 'The blast furnace is in the foundry.');
      yield step('I put the metal pot in the blast furnace.', 'move metal pot to blast furnace');
      yield step('I turn on the blast furnace.', 'activate blast furnace');
    }
  } else {
    if (container.parent !== view.world.inventory) {
      yield step(`The ${name} is a liquid, so I will cool it and watch for it to freeze. I pick up its container.`, `pick up ${uniqueRef(view, container, (r) => `pick up ${r}`)}`);
    }
    yield step(`I focus on the ${name}.`, `focus on ${uniqueRef(view, sub, (r) => `focus on ${r}`)}`);
    yield step(`I put the ${container.name} in the freezer to cool the ${name}.`, `move ${uniqueRef(view, container, (r) => `move ${r} to freezer`)} to freezer`);
  }
  const startState = sub.matter?.state;
  const freezer = descendants(room(view.world, 'kitchen')).find((t) => t.name === 'freezer') as Thing;
  const meltingPoint = matterFor(name).meltingPoint;
  const coldest = freezer.setTemperature ?? -18;
  for (let i = 0; i < 30 && sub.matter?.state === startState; i++) {
    yield step(`Let me check whether the ${sub.name} has ${solid ? 'melted' : 'frozen'} yet.`, `examine ${uniqueRef(view, sub, (r) => `examine ${r}`)}`);
    if (sub.matter?.state !== startState) break;
    const reading = celsius(sub);
    yield step(`The ${sub.name} has not changed state yet. I measure its temperature.`, `use thermometer in inventory on ${uniqueRef(view, sub, (r) => `use thermometer in inventory on ${r}`)}`);
    if (!solid && reading <= coldest + 2) break; // the freezer can go no colder
    if (Math.abs(reading - meltingPoint) > 15) {
      yield step(`It is at ${reading} degrees celsius and still ${solid ? 'solid' : 'liquid'}. I wait a while before checking again.`, 'wait');
    }
  }
  const changed = sub.matter?.state !== startState;
  const measured = celsius(sub);
  const why = changed
    ? `The ${name} ${solid ? 'melted' : 'froze'} at about ${measured} degrees celsius; its melting point is ${meltingPoint} degrees celsius.`
    : `The ${name} is still liquid at ${measured} degrees celsius, as cold as the freezer gets, so its melting point (${meltingPoint} degrees celsius) is lower.`;
  const side = answer === (view.setup.facts.above as string) ? 'above' : 'below';
  yield* goTo(view, 'kitchen', 'The answer boxes are in the kitchen. I go back there.');
  yield step(`${why} That is ${side} ${threshold} degrees, so I focus on the ${answer}.`, `focus on ${answer}`);
}

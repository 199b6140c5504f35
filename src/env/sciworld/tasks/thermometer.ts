// Measurement task 2-1 (use-thermometer): 540 variations = an even 2 % subsample of object (sorted by
// name, so objects stay apart across folds) × threshold × answer-box pair, as the original. The object
// starts 50–150 °C above or below a preset and drifts slowly toward room temperature.
// S = [focus thermometer (then defocus), focus object, object in the box its temperature calls for].
import { Rng } from '../../../rng.ts';
import type { ExpertStep, ExpertView, TaskFamily } from '../family.ts';
import { celsius, goTo, step, uniqueRef } from '../expert-kit.ts';
import { agentInRoom, focusOn, inRoomWith, movedToNewLocation, thingInDirectContainer } from '../goal-library.ts';
import type { Goal } from '../goals.ts';
import { GoalSequence } from '../goals.ts';
import { makeSubstance } from '../materials.ts';
import type { Thing } from '../things.ts';
import { putInside, roomOf } from '../things.ts';
import type { World } from '../world.ts';
import { buildWorld, makers, room } from '../world.ts';
import { ANSWER_BOXES } from './find.ts';

export const THRESHOLDS = [-50, 0, 50, 100, 200];
const LOCATIONS = ['living room', 'bedroom', 'bathroom'];

interface ObjectEntry {
  name: string;
  location: string;
  preset: number;
}

/** Object entries (location × preset × object, 20 unknown substances each), sorted by name (stable). */
function objectEntries(): ObjectEntry[] {
  const entries: ObjectEntry[] = [];
  for (const location of LOCATIONS) {
    for (const preset of THRESHOLDS) {
      for (const name of ['sodium chloride', 'metal fork', 'wood', 'wire']) entries.push({ name, location, preset });
      for (let i = 0; i < 20; i++) entries.push({ name: 'unknown substance B', location, preset });
    }
  }
  return entries.map((e, i) => ({ e, i })).sort((a, b) => (a.e.name < b.e.name ? -1 : a.e.name > b.e.name ? 1 : a.i - b.i)).map((x) => x.e);
}

const ENTRIES = objectEntries();
const BOX_OPTIONS = LOCATIONS.flatMap((location) =>
  ANSWER_BOXES.map(([above, below]) => ({ location, above, below })));
const COMBINATIONS = ENTRIES.length * THRESHOLDS.length * BOX_OPTIONS.length; // 27,000
const VARIATIONS = 540;

/** The original's mkRandTemp: 50–150 °C above or below the preset, floored. */
export function randomTemperature(rng: Rng, preset: number): number {
  const delta = rng.int(100) + 50;
  return Math.floor(preset + (rng.next() < 0.5 ? -delta : delta));
}

function makeTestObject(world: World, name: string, temperature: number): Thing {
  if (name === 'sodium chloride' || name === 'unknown substance B') {
    return { ...makeSubstance(world.factory, name, temperature), conductivity: 0.05 };
  }
  const conductive = name === 'metal fork' || name === 'wire';
  return makers(world.factory).item(name, { temperature, conductivity: 0.05, conductive });
}

/** Object in the box its temperature calls for; the other box fails the task. */
export function boxByTemperature(target: () => Thing | null, threshold: number, above: string, below: string): Goal {
  return {
    description: 'move object to correct answer box',
    check: ({ focus }) => {
      const thing = target() ?? focus;
      const box = thing?.parent?.name;
      if (!thing || (box !== above && box !== below)) return 'none';
      const right = thing.temperature > threshold ? above : below;
      return box === right ? 'pass' : 'fail';
    },
  };
}

function setup(variation: number) {
  const combination = Math.floor((variation * COMBINATIONS) / VARIATIONS);
  const entryIndex = Math.floor(combination / (THRESHOLDS.length * BOX_OPTIONS.length));
  const threshold = THRESHOLDS[Math.floor(combination / BOX_OPTIONS.length) % THRESHOLDS.length] as number;
  const boxes = BOX_OPTIONS[combination % BOX_OPTIONS.length] as (typeof BOX_OPTIONS)[number];
  const entry = ENTRIES[entryIndex] as ObjectEntry;
  const world = buildWorld(new Rng(2000 + variation));
  const m = makers(world.factory);
  const object = makeTestObject(world, entry.name, randomTemperature(new Rng(9000 + entryIndex), entry.preset));
  putInside(object, room(world, entry.location));
  putInside(m.cup(boxes.above, [], 'box'), room(world, boxes.location));
  putInside(m.cup(boxes.below, [], 'box'), room(world, boxes.location));
  const t = threshold.toFixed(1);
  const name = entry.name;
  const description = `Your task is to measure the temperature of ${name}, which is located around the ${entry.location}. ` +
    `First, focus on the thermometer. Next, focus on the ${name}. ` +
    `If the ${name} temperature is above ${t} degrees celsius, place it in the ${boxes.above}. ` +
    `If the ${name} temperature is below ${t} degrees celsius, place it in the ${boxes.below}. ` +
    `The boxes are located around the ${boxes.location}.`;
  const makeGoals = (): GoalSequence => {
    const ordered: Goal[] = [
      { ...focusOn('focus on instrument', (x) => x.name === 'thermometer'), defocusOnPass: true },
      focusOn('focus on object', (x) => x === object),
      boxByTemperature(() => object, threshold, boxes.above, boxes.below),
    ];
    const unordered: Goal[] = [
      inRoomWith('thermometer'),
      thingInDirectContainer('inventory', ['thermometer'], 'have thermometer in inventory'),
      movedToNewLocation(),
      { ...agentInRoom(entry.location, 'move to the object location'), key: 'move1' },
      { ...agentInRoom(boxes.location, 'move to the answer box location'), key: 'move2', requires: ['move1'] },
      thingInDirectContainer('inventory', [name], 'have task object in inventory'),
      { description: 'use instrument on object', check: ({ measured }) => (measured.has(object.id) ? 'pass' : 'none') },
      { description: 'use instrument on object (in answer box location)', requires: ['move2'], check: ({ measured, world: w }) => (measured.has(object.id) && roomOf(w.agent)?.name === boxes.location ? 'pass' : 'none') },
    ];
    return new GoalSequence(ordered, unordered);
  };
  return { world, description, makeGoals, facts: { object, threshold, above: boxes.above, below: boxes.below, boxRoom: boxes.location } };
}

export const useThermometerFamily: TaskFamily = {
  name: 'use-thermometer',
  legacyName: 'task-10-use-thermometer',
  variations: VARIATIONS,
  maxSteps: 30,
  etoCounts: { train: 120, seen: 10, unseen: 10 },
  setup,
  expert: (view) => thermometerExpert(view),
};

/** Kitchen → take and focus the thermometer (the shared opening of both measurement tasks). */
export function* fetchThermometer(view: ExpertView, purpose: string): Generator<ExpertStep, void, void> {
  yield* goTo(view, 'kitchen', `I need a thermometer ${purpose}. Thermometers are usually kept in the kitchen.`);
  yield step('Let me look around the kitchen for the thermometer.', 'look around');
  yield step('There is the thermometer. I pick it up.', 'pick up thermometer');
  yield step('The task asks me to focus on the thermometer first.', 'focus on thermometer in inventory');
}

function* thermometerExpert(view: ExpertView): Generator<ExpertStep, void, void> {
  const object = view.setup.facts.object as Thing;
  const threshold = view.setup.facts.threshold as number;
  const boxRoom = view.setup.facts.boxRoom as string;
  yield* fetchThermometer(view, `to measure the temperature of the ${object.name}`);
  const where = roomOf(object)?.name as string;
  yield* goTo(view, where, `The ${object.name} is located around the ${where}. I go there.`);
  yield step(`Let me look around the ${where} for the ${object.name}.`, 'look around');
  yield step(`I found the ${object.name}. I pick it up to carry it to the boxes.`, `pick up ${uniqueRef(view, object, (r) => `pick up ${r}`)}`);
  yield step(`Now I focus on the ${object.name}, as the task asks.`, `focus on ${uniqueRef(view, object, (r) => `focus on ${r}`)}`);
  yield* goTo(view, boxRoom, `The answer boxes are in the ${boxRoom}. I go there.`);
  yield step(`Let me look around the ${boxRoom} to see the answer boxes.`, 'look around');
  const reading = celsius(object);
  yield step(`Now I measure the temperature of the ${object.name}.`, `use thermometer in inventory on ${uniqueRef(view, object, (r) => `use thermometer in inventory on ${r}`)}`);
  const box = object.temperature > threshold ? view.setup.facts.above as string : view.setup.facts.below as string;
  const side = object.temperature > threshold ? 'above' : 'below';
  yield step(`The ${object.name} measures ${reading} degrees celsius, which is ${side} ${threshold} degrees, so it goes in the ${box}.`,
    `move ${uniqueRef(view, object, (r) => `move ${r} to ${box}`)} to ${box}`);
}

// Matter tasks 1-1…1-4 (boil, melt, freeze, change-the-state-of-matter-of): 15 substances × {stove,
// no stove} = 30 variations, their goals as the original, and the gold path (fetch a metal pot and the
// thermometer, focus, then heat or cool with the right device while measuring).
// A disabled device (the kitchen stove, or the kitchen sink for the second water variation) is removed.
import { Rng } from '../../../rng.ts';
import type { ExpertStep, ExpertView, TaskFamily, TaskSetup } from '../family.ts';
import { celsius, goTo, here, step, uniqueRef } from '../expert-kit.ts';
import {
  anyThenDifferentState, deviceActive, focusAloneInContainer, focusInside, focusIsState, focusOn, inRoomWith,
  temperatureChange, thingInDirectContainer, thingOnFire,
} from '../goal-library.ts';
import type { Goal } from '../goals.ts';
import { GoalSequence } from '../goals.ts';
import type { Thing } from '../things.ts';
import { descendants, detach, putInside, roomOf } from '../things.ts';
import type { World } from '../world.ts';
import { allThings, buildWorld, chill, makers, room } from '../world.ts';

type Mode = 'boil' | 'melt' | 'freeze' | 'change-state';

interface SubstanceOption {
  name: string;
  place: (world: World, m: ReturnType<typeof makers>) => Thing;
}

const inRoom = (world: World, roomName: string, holder: string): Thing =>
  descendants(room(world, roomName)).find((t) => t.name === holder) ?? room(world, roomName);

function addTo(container: Thing, item: Thing): Thing {
  putInside(item, container);
  if (container.active && container.setTemperature !== undefined) chill(item, container.setTemperature);
  return item;
}

const fridgeCup = (base: string) => (world: World, m: ReturnType<typeof makers>): Thing =>
  addTo(inRoom(world, 'kitchen', 'fridge'), m.cup('wood cup', [m.substance(base)], 'cup', 0.2)).contents[0] as Thing;

const metalInCup = (base: string) => (world: World, m: ReturnType<typeof makers>): Thing =>
  addTo(inRoom(world, 'workshop', 'table'), m.cup('ceramic cup', [m.substance(base)], 'cup', 0.3)).contents[0] as Thing;

/** Where the original's water variations get water: any sink (or the fountain); the target is found later. */
const existingWater = (world: World): Thing => room(world, 'kitchen');

const SUBSTANCES: SubstanceOption[] = [
  { name: 'water', place: existingWater },
  { name: 'water', place: (world) => { removeDevice(world, 'kitchen', 'sink'); return existingWater(world); } },
  { name: 'ice', place: (world, m) => addTo(inRoom(world, 'kitchen', 'freezer'), m.substance('water', -18)) },
  {
    name: 'orange juice',
    place: (world) => descendants(inRoom(world, 'kitchen', 'fridge')).find((t) => t.name === 'orange juice') as Thing,
  },
  { name: 'apple juice', place: fridgeCup('apple juice') },
  { name: 'chocolate', place: (world, m) => addTo(inRoom(world, 'kitchen', 'fridge'), { ...m.substance('chocolate', 2), edible: true }) },
  { name: 'marshmallow', place: (world, m) => addTo(inRoom(world, 'kitchen', 'cupboard'), { ...m.substance('marshmallow'), edible: true }) },
  { name: 'ice cream', place: (world, m) => addTo(inRoom(world, 'kitchen', 'freezer'), m.cup('paper cup', [m.substance('ice cream', -18)], 'cup', 0.3)).contents[0] as Thing },
  { name: 'soap', place: (world) => room(world, 'kitchen').contents.find((t) => t.name === 'soap') as Thing },
  { name: 'rubber', place: (world, m) => addTo(inRoom(world, 'workshop', 'table'), m.substance('rubber')) },
  { name: 'lead', place: metalInCup('lead') },
  { name: 'tin', place: metalInCup('tin') },
  { name: 'mercury', place: metalInCup('mercury') },
  { name: 'gallium', place: metalInCup('gallium') },
  { name: 'caesium', place: metalInCup('caesium') },
];

function removeDevice(world: World, roomName: string, device: string): void {
  const found = room(world, roomName).contents.find((t) => t.name === device);
  if (found) detach(found);
}

const HEATERS = ['stove', 'blast furnace', 'oven', 'hot plate', 'fire pit'];

function optionalGoals(mode: Mode, substance: string): Goal[] {
  const goals: Goal[] = [inRoomWith(substance), focusAloneInContainer()];
  if (mode !== 'freeze') {
    for (const heater of ['stove', 'blast furnace', 'oven', 'hot plate']) goals.push(deviceActive(heater));
    goals.push(thingInDirectContainer('inventory', ['lighter'], 'have lighter in inventory'));
    goals.push(thingInDirectContainer('fire pit', ['wood'], 'move wood into fire pit', 'wood1'));
    goals.push({ ...thingOnFire('wood', 'ignite wood'), key: 'ignite', requires: ['wood1'] });
    for (const heater of HEATERS) goals.push(focusInside(heater, `have object on heater (${heater})`));
  }
  if (mode === 'freeze' || mode === 'change-state') {
    goals.push(focusInside('fridge', 'have object in cooler (fridge)'), focusInside('freezer', 'have object in cooler (freezer)'));
  }
  if (mode === 'change-state') {
    goals.push(temperatureChange(10, 'heat object by at least 10C'), temperatureChange(-10, 'cool object by at least 10C'));
  } else if (mode === 'freeze') {
    goals.push(temperatureChange(-5, 'cool object by at least 5C'));
  } else {
    goals.push(temperatureChange(20, 'heat object by at least 20C'));
  }
  return goals;
}

function orderedGoals(mode: Mode, substance: string): Goal[] {
  const find = focusOn('focus on substance', (t) => t.name === substance);
  if (mode === 'boil') {
    const gas = focusIsState('gas', 'substance is in a gaseous state (or combusting)');
    const gasOrFire: Goal = { ...gas, check: (ctx) => (ctx.focus?.burning || ctx.focus?.burned ? 'pass' : gas.check(ctx)) };
    return [find, focusIsState('liquid', 'substance is in a liquid state'), gasOrFire];
  }
  if (mode === 'melt') return [find, focusIsState('solid', 'substance is in a solid state'), focusIsState('liquid', 'substance is in a liquid state')];
  if (mode === 'freeze') return [find, focusIsState('liquid', 'substance is in a liquid state'), focusIsState('solid', 'substance is in a solid state')];
  return [find, ...anyThenDifferentState()];
}

const VERB: Record<Mode, string> = { boil: 'boil', melt: 'melt', freeze: 'freeze', 'change-state': 'change the state of matter of' };

function describeTask(mode: Mode, substance: string): string {
  const extra = mode === 'boil' ? ' For compounds without a boiling point, combusting the substance is also acceptable.' : '';
  return `Your task is to ${VERB[mode]} ${substance}.${extra} First, focus on the substance. Then, take actions that will cause it to change its state of matter.`;
}

function setupVariation(mode: Mode, variation: number): TaskSetup {
  const option = SUBSTANCES[Math.floor(variation / 2)] as SubstanceOption;
  const world = buildWorld(new Rng(1000 + variation));
  const m = makers(world.factory);
  const target = option.place(world, m);
  if (variation % 2 === 1) removeDevice(world, 'kitchen', 'stove');
  return {
    world,
    description: describeTask(mode, option.name),
    makeGoals: () => new GoalSequence(orderedGoals(mode, option.name), optionalGoals(mode, option.name)),
    facts: { target, substance: option.name, mode },
  };
}

export function changeStateFamily(mode: Mode, legacyName: string, maxSteps: number, counts: TaskFamily['etoCounts']): TaskFamily {
  return {
    name: mode === 'change-state' ? 'change-the-state-of-matter-of' : mode,
    legacyName,
    variations: 30,
    maxSteps,
    etoCounts: counts,
    setup: (variation) => setupVariation(mode, variation),
    expert: (view) => changeStateExpert(view, mode),
  };
}

// ---- gold path ----

type Direction = 'heat' | 'cool';

interface Phase {
  direction: Direction;
  /** The temperature the substance must cross. */
  threshold: number;
  done: (t: Thing) => boolean;
}

function phasesFor(mode: Mode, sub: Thing): Phase[] {
  const matter = sub.matter;
  if (!matter) return [];
  const melt: Phase = { direction: 'heat', threshold: matter.meltingPoint, done: (t) => t.matter?.state !== 'solid' };
  const boil: Phase = { direction: 'heat', threshold: matter.boilingPoint, done: (t) => t.matter?.state === 'gas' };
  const freeze: Phase = { direction: 'cool', threshold: matter.meltingPoint, done: (t) => t.matter?.state === 'solid' };
  const state = matter.state;
  if (mode === 'boil') return [boil];
  if (mode === 'melt') return state === 'solid' ? [melt] : [freeze, melt];
  if (mode === 'freeze') return state === 'liquid' ? [freeze] : [melt, freeze];
  return state === 'solid' ? [melt] : [freeze];
}

function deviceFor(world: World, phase: Phase): Thing {
  const find = (name: string): Thing | undefined => allThings(world).find((t) => t.name === name && t.activatable);
  if (phase.direction === 'cool') {
    return (phase.threshold >= -8 ? find('freezer') : undefined) ?? (find('ultra low temperature freezer') as Thing);
  }
  const stove = find('stove');
  if (stove && phase.threshold + 60 <= 260) return stove;
  const oven = find('oven');
  if (oven && phase.threshold + 60 <= 540) return oven;
  return find('blast furnace') as Thing;
}

function* changeStateExpert(view: ExpertView, mode: Mode): Generator<ExpertStep, void, void> {
  const substance = view.setup.facts.substance as string;
  yield* goTo(view, 'kitchen', `To ${VERB[mode]} ${substance} I need a container that can take heat and a thermometer; the kitchen is the place to look.`);
  yield step('I am in the kitchen. Let me look around for a pot and a thermometer.', 'look around');
  yield step('The thermometer will let me follow the temperature of the substance, so I take it.', 'pick up thermometer');
  yield step('A metal pot can go on a heater or into a cooler, so I take it from the cupboard.', 'pick up metal pot');
  const pot = view.world.inventory.contents.find((t) => t.name === 'metal pot') as Thing;
  let sub: Thing;
  if (substance === 'water') {
    sub = yield* fetchWater(view, pot);
  } else {
    sub = view.setup.facts.target as Thing;
    const where = roomOf(sub)?.name ?? 'kitchen';
    if (here(view).name !== where) {
      yield* goTo(view, where, `The ${substance} should be in the ${where}. I will go there.`);
      yield step(`Let me look around the ${where} to find the ${substance}.`, 'look around');
    }
    yield step(`I found the ${substance}. I focus on it, as the task asks.`, `focus on ${uniqueRef(view, sub, (r) => `focus on ${r}`)}`);
    const verb = sub.matter?.state === 'liquid' ? 'pour' : 'move';
    const ref = uniqueRef(view, sub, (r) => `${verb} ${r} ${verb === 'pour' ? 'into' : 'to'} metal pot`);
    yield step(`I put the ${substance} in the metal pot so that I can heat or cool it safely.`, `${verb} ${ref} ${verb === 'pour' ? 'into' : 'to'} metal pot`);
  }
  for (const phase of phasesFor(mode, sub)) {
    if (view.done) return;
    yield* runPhase(view, pot, sub, phase);
  }
}

function* fetchWater(view: ExpertView, pot: Thing): Generator<ExpertStep, Thing, void> {
  const kitchenSink = room(view.world, 'kitchen').contents.find((t) => t.name === 'sink');
  if (!kitchenSink) {
    yield step('The kitchen has no working sink, so I will get water from the bathroom sink instead.', 'teleport to bathroom');
  }
  yield step('I put the metal pot in the sink to fill it with water.', 'move metal pot to sink');
  yield step('Turning on the sink fills the pot with water.', 'activate sink');
  yield step('The pot should be full now, so I turn the sink off.', 'deactivate sink');
  yield step('I take the metal pot with the water.', 'pick up metal pot');
  const water = pot.contents.find((t) => t.name === 'water') as Thing;
  yield step('The water in the metal pot is the substance for this task, so I focus on it.', `focus on ${uniqueRef(view, water, (r) => `focus on ${r}`)}`);
  return water;
}

function* runPhase(view: ExpertView, pot: Thing, sub: Thing, phase: Phase): Generator<ExpertStep, void, void> {
  const device = deviceFor(view.world, phase);
  const deviceRoom = roomOf(device)?.name ?? 'kitchen';
  const goal = phase.direction === 'heat' ? 'above' : 'below';
  yield* goTo(view, deviceRoom, `I need to bring the ${sub.name} ${goal} ${phase.threshold} degrees; the ${device.name} in the ${deviceRoom} can do that.`);
  if (!device.active) yield step(`The ${device.name} is off, so I turn it on.`, `activate ${device.name}`);
  if (view.done) return;
  yield step(`I place the metal pot in the ${device.name}.`, `move metal pot to ${device.name}`);
  for (let guard = 0; guard < 40 && !view.done && !phase.done(sub); guard++) {
    const ref = uniqueRef(view, sub, (r) => `use thermometer in inventory on ${r}`);
    const reading = celsius(sub); // what the thermometer will report: it reads before the tick
    yield step(`Let me measure the ${sub.name} to see how close it is to changing state.`, `use thermometer in inventory on ${ref}`);
    if (view.done || phase.done(sub)) break;
    const gap = Math.abs(reading - phase.threshold);
    yield step(`The ${sub.name} is at ${reading} degrees, still ${gap} degrees from ${phase.threshold}. I wait for it to change.`, gap > 15 ? 'wait' : 'wait1');
  }
  if (view.done) return;
  yield step(`The ${sub.name} has changed state. I take the metal pot for the next step.`, 'pick up metal pot');
}

// Electricity tasks 3-1 (power-component) and 3-2 (power-component-renewable-vs-nonrenewable-energy):
// 5 parts × {solar panel, wind generator} × {gas generator, nuclear generator} = 20 variations, all in
// the workshop with the battery and three wires. S = [focus on the part, the part is on] (+ for the
// renewable task: powered by the asked kind of source, another source fails). Solar panels and wind
// generators only work outside.
import { Rng } from '../../../rng.ts';
import { connectedToWire, poweringSources, powerSources, wiredTogether } from '../electricity.ts';
import type { ExpertStep, ExpertView, TaskFamily, TaskSetup } from '../family.ts';
import { goTo, step, uniqueRef } from '../expert-kit.ts';
import { focusOn, inRoomWith, movedToNewLocation } from '../goal-library.ts';
import type { Goal } from '../goals.ts';
import { GoalSequence } from '../goals.ts';
import type { Thing } from '../things.ts';
import { descendants, putInside, roomOf } from '../things.ts';
import { allThings, buildWorld, makers, room } from '../world.ts';

const PARTS = ['red light bulb', 'green light bulb', 'blue light bulb', 'electric motor', 'electric buzzer'];
const RENEWABLE = ['solar panel', 'wind generator'];
const NONRENEWABLE = ['gas generator', 'nuclear generator'];

type Mode = 'any' | 'renewable';

function setup(mode: Mode, variation: number): TaskSetup {
  const part = PARTS[Math.floor(variation / 4)] as string;
  const renewable = RENEWABLE[Math.floor(variation / 2) % 2] as string;
  const nonrenewable = NONRENEWABLE[variation % 2] as string;
  const world = buildWorld(new Rng(8900 + variation + (mode === 'renewable' ? 50 : 0)));
  world.electrical = true;
  const m = makers(world.factory);
  const workshop = room(world, 'workshop');
  for (const name of ['electric motor', 'electric buzzer']) {
    putInside(m.item(name, { electrical: 'load', active: false, conductive: true }), workshop);
  }
  for (const name of [renewable, nonrenewable]) putInside(m.item(name, { electrical: 'battery' }), workshop);
  const useRenewable = variation % 2 === 0;
  const source = mode === 'renewable' ? (useRenewable ? renewable : nonrenewable) : null;
  const kind = useRenewable ? 'renewable' : 'nonrenewable';
  const description = mode === 'renewable'
    ? `Your task is to turn on the ${part} by powering it using a ${kind} power source. First, focus on the ${part}. Then, create an electrical circuit that powers it on.`
    : `Your task is to turn on the ${part}. First, focus on the ${part}. Then, create an electrical circuit that powers it on.`;
  const partThing = (): Thing | undefined => allThings(world).find((t) => t.name === part);
  const makeGoals = (): GoalSequence => {
    const ordered: Goal[] = [
      focusOn('focus on task object', (t) => t.name === part),
      { description: 'power task object', check: () => (partThing()?.active ? 'pass' : 'none') },
    ];
    if (source) {
      ordered.push({
        description: 'use correct power source',
        check: ({ world: w }) => {
          const load = partThing();
          if (!load) return 'none';
          const used = poweringSources(w, load, powerSources(w)).map((s) => s.name);
          if (used.length === 0) return 'none';
          return used.includes(source) ? 'pass' : 'fail';
        },
      });
    }
    const unordered: Goal[] = [
      movedToNewLocation(),
      inRoomWith(part),
      { description: "connect the task object's (terminal1/anode) to a wire", check: ({ world: w }) => (partThing() && connectedToWire(w, partThing() as Thing, 0) ? 'pass' : 'none') },
      { description: "connect the task object's (terminal2/cathode) to a wire", check: ({ world: w }) => (partThing() && connectedToWire(w, partThing() as Thing, 1) ? 'pass' : 'none') },
      {
        description: 'task object is at least partially connected to power source through wire',
        check: ({ world: w }) => {
          const load = partThing();
          const sources = powerSources(w).filter((s) => source === null || s.name === source);
          return load && sources.some((s) => wiredTogether(w, load, s)) ? 'pass' : 'none';
        },
      },
    ];
    return new GoalSequence(ordered, unordered);
  };
  return { world, description, makeGoals, facts: { part, source: source ?? 'battery', kind } };
}

function family(mode: Mode): TaskFamily {
  return {
    name: mode === 'renewable' ? 'power-component-renewable-vs-nonrenewable-energy' : 'power-component',
    legacyName: mode === 'renewable' ? 'task-2-power-component-(renewable-vs-nonrenewable-energy)' : 'task-2-power-component',
    variations: 20,
    maxSteps: mode === 'renewable' ? 30 : 20,
    etoCounts: { train: 8, seen: 3, unseen: 5 },
    setup: (variation) => setup(mode, variation),
    expert: (view) => powerExpert(view, mode),
  };
}

export const powerComponentFamily = family('any');
export const powerRenewableFamily = family('renewable');

function* powerExpert(view: ExpertView, mode: Mode): Generator<ExpertStep, void, void> {
  const part = view.setup.facts.part as string;
  const source = view.setup.facts.source as string;
  yield* goTo(view, 'workshop', `To power the ${part} I need a power source and wires; they should be in the workshop.`);
  yield step('Let me look around the workshop for the parts.', 'look around');
  const partThing = descendants(room(view.world, 'workshop')).find((t) => t.name === part) as Thing;
  yield step(`There is the ${part}. The task asks me to focus on it first.`, `focus on ${uniqueRef(view, partThing, (r) => `focus on ${r}`)}`);
  const outdoors = source === 'solar panel' || source === 'wind generator';
  const why = mode === 'renewable'
    ? `The task asks for a ${view.setup.facts.kind as string} power source, so I use the ${source}.`
    : `I will use the ${source} to power the ${part}.`;
  if (outdoors) {
    yield step(`${why} A ${source} only works outside, so I take the parts out there. First the ${part}.`, `pick up ${part}`);
    yield step(`I pick up the ${source}.`, `pick up ${source}`);
    yield step('I need two wires as well.', 'pick up orange wire');
    yield step('And the second wire.', 'pick up black wire');
    yield* goTo(view, 'outside', `The ${source} needs to be outside to produce power.`);
  }
  const first = outdoors ? `Outside, I connect the ${source} anode to a wire.` : `${why} I connect its anode to a wire.`;
  yield step(first, `connect ${source} anode to orange wire terminal 1`);
  yield step(`Then the ${source} cathode to a second wire.`, `connect ${source} cathode to black wire terminal 1`);
  yield step(`The first wire goes to the ${part}.`, `connect orange wire terminal 2 to ${part} cathode`);
  yield step(`The second wire goes to the other side of the ${part}, closing the circuit.`, `connect black wire terminal 2 to ${part} anode`);
  yield step('I wait a moment for the power to flow.', 'wait1');
  yield step('Let me wait one more moment.', 'wait1');
  yield step(`Let me look whether the ${part} is on.`, 'look around');
}

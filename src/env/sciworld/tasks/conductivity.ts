// Electricity tasks 3-3 (test-conductivity: 12 named objects × 3 rooms, sorted by name, × 5 parts to
// power × 5 answer-box pairs = 900) and 3-4 (test-conductivity-of-unknown-substances: 24 lettered
// substances × 5 parts × 5 box pairs = 600). S = [focus on the object, object in the right box (the
// other box fails)]. Gold path: fetch the object, wire battery → part → object → battery in the
// workshop, wait, look whether the part runs, then answer.
import { Rng } from '../../../rng.ts';
import { connectedToWire, wiredTogether } from '../electricity.ts';
import type { ExpertStep, ExpertView, TaskFamily, TaskSetup } from '../family.ts';
import { goTo, here, step, uniqueRef } from '../expert-kit.ts';
import { focusInBox, focusOn, inRoomWith, movedToNewLocation } from '../goal-library.ts';
import type { Goal } from '../goals.ts';
import { GoalSequence } from '../goals.ts';
import type { Thing } from '../things.ts';
import { descendants, putInside, roomOf } from '../things.ts';
import type { World } from '../world.ts';
import { allThings, buildWorld, makers, room } from '../world.ts';
import { ANSWER_BOXES } from './find.ts';

/** The named test objects and whether they conduct, sorted by name. */
const NAMED: [string, boolean][] = [
  ['aluminum foil', true], ['apricot', false], ['book', false], ['glass jar', false], ['metal fork', true],
  ['metal pot', true], ['paper clip', true], ['plastic fork', false], ['shovel', true], ['sodium chloride', false],
  ['water', true], ['wood block', false],
];
const NAMED_ROOMS = ['workshop', 'kitchen', 'living room'];
const PARTS = ['red light bulb', 'green light bulb', 'blue light bulb', 'electric motor', 'electric buzzer'];
const BOX_PAIRS = ANSWER_BOXES.map(([yes, no]) => ({ yes, no }));
const LETTERS = 'BCDEFGHJKLMNOPQRSTUVWXYZ'.split('');

function makeObject(world: World, name: string, conductive: boolean): Thing {
  const m = makers(world.factory);
  if (name === 'sodium chloride') return { ...m.substance(name), conductive };
  if (name === 'glass jar' || name === 'metal pot') return { ...m.cup(name, [], name === 'metal pot' ? 'pot' : 'jar', 0.5), conductive };
  return m.item(name, { conductive, ...(name === 'apricot' ? { edible: true } : {}), ...(['book', 'wood block'].includes(name) ? { combustible: true } : {}) });
}

interface Layout {
  name: string;
  location: string;
  conductive: boolean;
  part: string;
  boxes: { yes: string; no: string };
}

function buildTask(layout: Layout, seed: number): TaskSetup {
  const world = buildWorld(new Rng(seed));
  world.electrical = true;
  const m = makers(world.factory);
  const workshop = room(world, 'workshop');
  if (!descendants(workshop).some((t) => t.name === layout.part)) {
    putInside(m.item(layout.part, { electrical: 'load', active: false, conductive: true }), workshop);
  }
  putInside(m.cup(layout.boxes.yes, [], 'box'), workshop);
  putInside(m.cup(layout.boxes.no, [], 'box'), workshop);
  const object = layout.name === 'water' ? null : makeObject(world, layout.name, layout.conductive);
  if (object) putInside(object, room(world, layout.location));
  const right = layout.conductive ? layout.boxes.yes : layout.boxes.no;
  const wrong = layout.conductive ? layout.boxes.no : layout.boxes.yes;
  const description = `Your task is to determine if ${layout.name} is electrically conductive. ` +
    `The ${layout.name} is located around the ${layout.location}. First, focus on the ${layout.name}. ` +
    `If it is electrically conductive, place it in the ${layout.boxes.yes}. ` +
    `If it is electrically nonconductive, place it in the ${layout.boxes.no}.`;
  const makeGoals = (): GoalSequence => {
    const target = (w: World): Thing | undefined => allThings(w).find((t) => t.name === layout.name && w.terminals.has(t.id));
    const anyOf = (w: World, role: Thing['electrical']): Thing[] => allThings(w).filter((t) => t.electrical === role);
    const ordered: Goal[] = [
      focusOn('focus on task object', (t) => t.name === layout.name),
      // A liquid is answered by moving its container: the focused thing or its container must be in a box.
      {
        description: 'put object in correct container',
        check: (ctx) => {
          const direct = focusInBox(right, [wrong], '').check(ctx);
          if (direct !== 'none' || !ctx.focus?.parent) return direct;
          return focusInBox(right, [wrong], '').check({ ...ctx, focus: ctx.focus.parent });
        },
      },
    ];
    const unordered: Goal[] = [
      movedToNewLocation(),
      inRoomWith(layout.name),
      { description: "connect the task object's (terminal1/anode) to a wire", check: ({ world: w }) => pass(target(w), (t) => connectedToWire(w, t, 0)) },
      { description: "connect the task object's (terminal2/cathode) to a wire", check: ({ world: w }) => pass(target(w), (t) => connectedToWire(w, t, 1)) },
      { description: 'task object is at least partially connected to power source through wire', check: ({ world: w }) => pass(target(w), (t) => anyOf(w, 'battery').some((b) => wiredTogether(w, t, b))) },
      { description: 'task object is at least partially connected to a light bulb through wire', check: ({ world: w }) => pass(target(w), (t) => anyOf(w, 'load').some((l) => wiredTogether(w, t, l))) },
      { description: 'light bulb is at least partially connected to a power source through wire', check: ({ world: w }) => (anyOf(w, 'load').some((l) => anyOf(w, 'battery').some((b) => wiredTogether(w, l, b))) ? 'pass' : 'none') },
    ];
    return new GoalSequence(ordered, unordered);
  };
  return { world, description, makeGoals, facts: { name: layout.name, part: layout.part, yes: layout.boxes.yes, no: layout.boxes.no, conductive: layout.conductive, ...(object ? { object } : {}) } };
}

function pass(thing: Thing | undefined, test: (t: Thing) => boolean): 'pass' | 'none' {
  return thing !== undefined && test(thing) ? 'pass' : 'none';
}

export const conductivityFamily: TaskFamily = {
  name: 'test-conductivity',
  legacyName: 'task-2a-test-conductivity',
  variations: 900,
  maxSteps: 30,
  etoCounts: { train: 120, seen: 10, unseen: 10 },
  setup: (variation) => {
    const entry = Math.floor(variation / 25); // 36 entries: name-major, then room
    const [name, conductive] = NAMED[Math.floor(entry / NAMED_ROOMS.length)] as [string, boolean];
    const location = NAMED_ROOMS[entry % NAMED_ROOMS.length] as string;
    const part = PARTS[Math.floor(variation / 5) % 5] as string;
    const boxes = BOX_PAIRS[variation % 5] as Layout['boxes'];
    return buildTask({ name, location, conductive, part, boxes }, 8000 + variation);
  },
  expert: (view) => conductivityExpert(view),
};

export const unknownConductivityFamily: TaskFamily = {
  name: 'test-conductivity-of-unknown-substances',
  legacyName: 'task-2a-test-conductivity-of-unknown-substances',
  variations: 600,
  maxSteps: 30,
  etoCounts: { train: 120, seen: 10, unseen: 10 },
  setup: (variation) => {
    const letter = LETTERS[Math.floor(variation / 25)] as string;
    const conductive = new Rng(8800 + letter.charCodeAt(0)).next() < 0.5;
    const part = PARTS[Math.floor(variation / 5) % 5] as string;
    const boxes = BOX_PAIRS[variation % 5] as Layout['boxes'];
    return buildTask({ name: `unknown substance ${letter}`, location: 'workshop', conductive, part, boxes }, 8500 + variation);
  },
  expert: (view) => conductivityExpert(view),
};

function* fetchWater(view: ExpertView): Generator<ExpertStep, Thing, void> {
  yield* goTo(view, 'kitchen', 'I need some water to test. The kitchen sink can give me water.');
  yield step('Let me look around the kitchen for a container and the sink.', 'look around');
  yield step('I take the glass cup from the table to hold the water.', 'pick up glass cup');
  yield step('I put the glass cup in the sink.', 'move glass cup to sink');
  yield step('Turning on the sink fills the cup with water.', 'activate sink');
  yield step('The cup has water now, so I turn the sink off.', 'deactivate sink');
  yield step('I take the glass cup with the water.', 'pick up glass cup');
  const cup = view.world.inventory.contents.find((t) => t.name === 'glass cup') as Thing;
  return cup.contents.find((t) => t.name === 'water') as Thing;
}

function* conductivityExpert(view: ExpertView): Generator<ExpertStep, void, void> {
  const name = view.setup.facts.name as string;
  const part = view.setup.facts.part as string;
  let object: Thing;
  let carried: Thing;
  if (name === 'water') {
    object = yield* fetchWater(view);
    carried = object.parent as Thing;
    yield step('The water is the substance to test, so I focus on it.', `focus on ${uniqueRef(view, object, (r) => `focus on ${r}`)}`);
  } else {
    object = view.setup.facts.object as Thing;
    const where = roomOf(object)?.name as string;
    yield* goTo(view, where, `The ${name} is located around the ${where}. I go there.`);
    yield step(`Let me look around the ${where} for the ${name}.`, 'look around');
    carried = object;
    if (where !== 'workshop') {
      yield step(`I pick up the ${name} to test it in the workshop, where the battery and wires are.`, `pick up ${uniqueRef(view, object, (r) => `pick up ${r}`)}`);
    }
    yield step(`The task asks me to focus on the ${name} first.`, `focus on ${uniqueRef(view, object, (r) => `focus on ${r}`)}`);
  }
  if (here(view).name !== 'workshop') {
    yield* goTo(view, 'workshop', 'The workshop has a battery, wires and parts to build a circuit.');
    yield step(`I put down the ${carried.name} here to wire it into a circuit.`, `drop ${uniqueRef(view, carried, (r) => `drop ${r}`)}`);
    yield step('Let me look around the workshop for the circuit parts.', 'look around');
  }
  const wires = ['orange wire', 'black wire', 'red wire'];
  const [w1, w2, w3] = wires;
  const partThing = descendants(room(view.world, 'workshop')).find((t) => t.name === part) as Thing;
  const objectRef = object.name; // terminals are named after their owner
  yield step(`I build a circuit: the battery, the ${part} and the ${name} in series. First the battery anode to a wire.`, `connect battery anode to ${w1} terminal 1`);
  yield step('Then the battery cathode to a second wire.', `connect battery cathode to ${w2} terminal 1`);
  yield step(`The first wire goes to the ${part}.`, `connect ${w1} terminal 2 to ${part} cathode`);
  yield step(`A third wire goes to the other side of the ${part}.`, `connect ${w3} terminal 2 to ${part} anode`);
  yield step(`Now the ${name} closes the circuit between the second and third wires.`, `connect ${objectRef} terminal 1 to ${w2} terminal 2`);
  yield step(`I connect the other side of the ${name}.`, `connect ${objectRef} terminal 2 to ${w3} terminal 1`);
  yield step('I wait a moment for the circuit to power up.', 'wait1');
  yield step('Let me wait one more moment.', 'wait1');
  yield step(`Let me look whether the ${part} is working.`, 'look around');
  const on = partThing.active === true;
  const box = (on ? view.setup.facts.yes : view.setup.facts.no) as string;
  const verdict = on
    ? `The ${part} is on, so current flows through the ${name}: it is electrically conductive.`
    : `The ${part} is off, so no current flows through the ${name}: it is electrically nonconductive.`;
  yield step(`${verdict} I put it in the ${box}.`, `move ${uniqueRef(view, carried, (r) => `move ${r} to ${box}`)} to ${box}`);
}

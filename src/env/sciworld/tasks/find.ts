// Classification tasks 4-1…4-4 (find a living thing, non-living thing, plant, animal): 10 animal/plant
// sets × 30 answer boxes (6 colours × 5 rooms) = 300 variations. Animals are outside, plants in the
// greenhouse. S = [focus on a thing of the right class (else fail), that thing in the answer box].
import { Rng } from '../../../rng.ts';
import type { ExpertStep, ExpertView, TaskFamily } from '../family.ts';
import { goTo, here, step, uniqueRef } from '../expert-kit.ts';
import { agentInRoom, focusInBox, focusOn, thingInInventory } from '../goal-library.ts';
import type { Goal } from '../goals.ts';
import { GoalSequence } from '../goals.ts';
import type { Thing } from '../things.ts';
import { descendants, putInside, roomOf } from '../things.ts';
import { animal, buildWorld, makers, room } from '../world.ts';
import type { World } from '../world.ts';

type Kind = 'living thing' | 'non-living thing' | 'plant' | 'animal';

export const BOX_COLOURS = ['red', 'green', 'blue', 'orange', 'yellow', 'purple'];
/** The two answer boxes of the sorting tasks: each colour with the next one (red/green … yellow/purple). */
export const ANSWER_BOXES: readonly (readonly [string, string])[] = BOX_COLOURS.slice(0, -1).map((colour, i) => [`${colour} box`, `${BOX_COLOURS[i + 1]} box`]);
const BOX_ROOMS = ['kitchen', 'bathroom', 'living room', 'bedroom', 'workshop'];
const ANIMALS = ['chipmunk', 'dragonfly', 'frog', 'parrot', 'rabbit', 'toad', 'butterfly', 'beaver', 'wolf', 'crocodile'];
const PLANTS = ['apple', 'banana', 'cherry', 'lemon', 'orange', 'peach', 'avocado', 'pea', 'rose', 'lily'];

const isLiving = (t: Thing): boolean => t.kind === 'plant' || t.kind === 'animal';
const ACCEPT: Record<Kind, (t: Thing) => boolean> = {
  'living thing': isLiving,
  'non-living thing': (t) => !isLiving(t) && t.kind !== 'room' && t.kind !== 'agent' && t.kind !== 'door',
  plant: (t) => t.kind === 'plant',
  animal: (t) => t.kind === 'animal',
};

export function makePlant(world: World, species: string, stage: 'seed' | 'adult'): Thing {
  return world.factory.make('plant', stage === 'seed' ? `${species} seed` : `${species} plant`, {
    life: { species, stage, ticksInStage: 0 },
    aliases: stage === 'seed' ? ['seed'] : ['plant', 'living thing'],
  });
}

/** A flower pot with soil and water; the easy setting's pots water themselves. */
export function flowerPot(world: World, index: number, items: Thing[] = []): Thing {
  const m = makers(world.factory);
  const pot = m.cup(`flower pot ${index}`, [m.substance('soil'), m.substance('water'), ...items], 'flower pot');
  return pot;
}

function setup(kind: Kind, variation: number) {
  const set = Math.floor(variation / 30);
  const box = variation % 30;
  const colour = BOX_COLOURS[box % 6] as string;
  const boxRoom = BOX_ROOMS[Math.floor(box / 6)] as string;
  const rng = new Rng(4000 + variation);
  const world = buildWorld(rng);
  const m = makers(world.factory);
  const setRng = new Rng(77 + set);
  for (const species of setRng.shuffle(ANIMALS).slice(0, 3)) putInside(animal(world.factory, species), room(world, 'outside'));
  setRng.shuffle(PLANTS).slice(0, 3).forEach((species, i) => {
    putInside(flowerPot(world, i + 1, [makePlant(world, species, 'adult')]), room(world, 'greenhouse'));
  });
  const boxName = `${colour} box`;
  putInside(m.cup(boxName, [], 'box'), room(world, boxRoom));
  const wrongBoxes: string[] = [];
  const accept = ACCEPT[kind];
  const makeGoals = (): GoalSequence => {
    const ordered: Goal[] = [focusOn('focus on the thing', accept), focusInBox(boxName, wrongBoxes, `move it to the ${boxName}`)];
    let firstRoom: Thing | null = null;
    const unordered: Goal[] = [
      thingInInventory(accept, 'have the thing in the inventory'),
      agentInRoom(boxRoom, `be in the ${boxRoom}`),
      {
        description: 'move the thing to a new location',
        check: ({ focus }) => {
          if (!focus) return 'none';
          const where = roomOf(focus);
          firstRoom ??= where;
          return where !== firstRoom ? 'pass' : 'none';
        },
      },
    ];
    return new GoalSequence(ordered, unordered);
  };
  return {
    world,
    description: `Your task is to find a(n) ${kind}. First, focus on the thing. Then, move it to the ${boxName} in the ${boxRoom}.`,
    makeGoals,
    facts: { kind, boxName, boxRoom },
  };
}

export function findFamily(kind: Kind, name: string, legacyName: string): TaskFamily {
  return {
    name,
    legacyName,
    variations: 300,
    maxSteps: 15,
    etoCounts: { train: 120, seen: 10, unseen: 10 },
    setup: (variation) => setup(kind, variation),
    expert: (view) => findExpert(view, kind),
  };
}

function* findExpert(view: ExpertView, kind: Kind): Generator<ExpertStep, void, void> {
  const boxName = view.setup.facts.boxName as string;
  const boxRoom = view.setup.facts.boxRoom as string;
  let target: Thing;
  if (kind === 'non-living thing') {
    yield* goTo(view, boxRoom, `Almost any object is non-living. The ${boxName} is in the ${boxRoom}, so I look for something there.`);
    yield step(`Let me look around the ${boxRoom} for a small non-living object.`, 'look around');
    const small = (location: Thing): Thing | undefined =>
      descendants(location, false).find((t) => t.movable && (t.kind === 'plain' || t.kind === 'cup') && t.name !== boxName && !t.contents.some(isLiving));
    let found = small(here(view));
    if (!found) {
      yield step(`There is nothing small to carry in the ${boxRoom}. The kitchen has small objects, so I go there.`, 'teleport to kitchen');
      found = small(here(view)) as Thing;
    }
    target = found;
    yield step(`The ${target.name} is not alive, so it is a non-living thing. I focus on it.`, `focus on ${uniqueRef(view, target, (r) => `focus on ${r}`)}`);
  } else {
    const place = kind === 'plant' ? 'greenhouse' : 'outside';
    const why = kind === 'plant' ? 'Plants are usually grown in the greenhouse.' : 'Animals are likely to be found outside.';
    yield* goTo(view, place, `${why} I will go to the ${place}.`);
    yield step(`Let me look around the ${place} for a ${kind === 'living thing' ? 'living thing' : kind}.`, 'look around');
    const pool = room(view.world, place).contents.flatMap((t) => (t.kind === 'cup' ? t.contents : [t]));
    target = pool.find((t) => (kind === 'plant' ? t.kind === 'plant' : t.kind === 'animal')) as Thing;
    yield step(`The ${target.name} is a ${kind === 'plant' ? 'plant' : kind === 'animal' ? 'animal' : 'living thing'}. I focus on it.`, `focus on ${uniqueRef(view, target, (r) => `focus on ${r}`)}`);
  }
  yield step(`I pick up the ${target.name} to carry it to the ${boxName}.`, `pick up ${uniqueRef(view, target, (r) => `pick up ${r}`)}`);
  yield* goTo(view, boxRoom, `The ${boxName} is in the ${boxRoom}. I go there.`);
  yield step(`I put the ${target.name} in the ${boxName} to finish the task.`, `move ${uniqueRef(view, target, (r) => `move ${r} to ${boxName}`)} to ${boxName}`);
}

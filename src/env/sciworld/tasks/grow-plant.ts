// Biology tasks 5-1 (grow-plant) and 5-2 (grow-fruit): 7 seed types × 6 seed-jar rooms (sorted by seed
// type) × 3 pot cases (pots with soil / empty pots with soil nearby / empty pots, soil dug outside with
// the shovel) = 126 each. grow-plant: S = [focused plant of the type at seed, seedling, adult,
// reproducing]. grow-fruit: S = [focus on the grown fruit]; it needs two plants and the greenhouse bees.
// The jar holds three seeds, so the gold path answers the ambiguity prompt with the seed it means.
import { Rng } from '../../../rng.ts';
import { article } from '../describe.ts';
import type { ExpertStep, ExpertView, TaskFamily } from '../family.ts';
import { goTo, here, step, uniqueRef } from '../expert-kit.ts';
import { agentInRoom, focusOn, focusStage, inRoomWith, movedToNewLocation, thingInDirectContainer } from '../goal-library.ts';
import type { Goal } from '../goals.ts';
import { GoalSequence } from '../goals.ts';
import { Parser } from '../parser.ts';
import type { Thing } from '../things.ts';
import { descendants, detach, putInside, roomOf } from '../things.ts';
import { allThings, buildWorld, makers, room } from '../world.ts';
import { flowerPot, makePlant } from './find.ts';

const SEEDS = ['apple', 'avocado', 'banana', 'cherry', 'lemon', 'orange', 'peach'];
const JAR_ROOMS = ['kitchen', 'bathroom', 'living room', 'bedroom', 'workshop', 'greenhouse'];
export const SEEDS_PER_JAR = 3;

type Mode = 'plant' | 'fruit';

function setup(variation: number, mode: Mode) {
  const entry = Math.floor(variation / 3);
  const potCase = variation % 3;
  const species = SEEDS[Math.floor(entry / JAR_ROOMS.length)] as string;
  const jarRoom = JAR_ROOMS[entry % JAR_ROOMS.length] as string;
  const world = buildWorld(new Rng(5000 + variation));
  const m = makers(world.factory);
  const seeds = Array.from({ length: SEEDS_PER_JAR }, () => makePlant(world, species, 'seed'));
  putInside(m.cup('seed jar', seeds, 'jar'), room(world, jarRoom));
  const greenhouse = room(world, 'greenhouse');
  const pots: Thing[] = [];
  for (let i = 1; i <= 3; i++) {
    const pot = potCase === 0 ? flowerPot(world, i) : m.cup(`flower pot ${i}`, [], 'flower pot');
    pot.contents = pot.contents.filter((t) => t.name !== 'water');
    pots.push(pot);
    putInside(pot, greenhouse);
    if (potCase === 1) putInside(m.substance('soil'), greenhouse);
  }
  if (potCase === 2) putInside(m.fixed('ground'), room(world, 'outside'));
  // The original notes that other fruit of the type must be gone for grow-fruit to make sense.
  if (mode === 'fruit') for (const fruit of allThings(world).filter((t) => t.name === species)) detach(fruit);
  const makeGoals = (): GoalSequence => {
    const isType = (stage: string, label: string): Goal => {
      const inner = focusStage(stage, label);
      return { ...inner, check: (ctx) => (ctx.focus?.life?.species === species ? inner.check(ctx) : 'none') };
    };
    const ordered = mode === 'fruit' ? [focusOn('focus on the grown fruit', (t) => t.name === species)] : [
      isType('seed', 'focus plant is in seed stage'), isType('seedling', 'focus plant is in seedling stage'),
      isType('adult', 'focus plant is in adult stage'), isType('reproducing', 'focus plant is in reproducing stage'),
    ];
    const unordered: Goal[] = [
      inRoomWith('seed jar'),
      { ...thingInDirectContainer('inventory', ['seed jar'], 'have seed jar in inventory'), key: 'haveSeedJar' },
      thingInDirectContainer('inventory', ['shovel'], 'have shovel in inventory'),
      thingInDirectContainer('inventory', ['soil'], 'have soil in inventory'),
      inRoomWith('soil'),
      movedToNewLocation(),
      { ...agentInRoom('greenhouse', 'move to the greenhouse'), key: 'move1' },
      { ...agentInRoom('greenhouse', 'move to the greenhouse (after having seed jar)'), key: 'move2', requires: ['haveSeedJar'] },
      ...pots.map((pot, i) => thingInDirectContainer(pot.name, ['soil'], `have soil in flower pot (${i + 1})`)),
      ...pots.map((pot, i) => thingInDirectContainer(pot.name, ['water'], `have water in flower pot (${i + 1})`)),
      ...pots.map((pot, i) => thingInDirectContainer(pot.name, [`${species} seed`], `have seed in flower pot (${i + 1})`)),
    ];
    return new GoalSequence(ordered, unordered);
  };
  return {
    world,
    description: mode === 'fruit'
      ? `Your task is to grow a ${species}. This will require growing several plants, and them being crosspollinated to produce fruit.  Seeds can be found in the ${jarRoom}. To complete the task, focus on the grown ${species}.`
      : `Your task is to grow a ${species} plant from seed. Seeds can be found in the ${jarRoom}. First, focus on a seed. Then, make changes to the environment that grow the plant until it reaches the reproduction life stage.`,
    makeGoals,
    facts: { species, jarRoom, potCase, seed: seeds[0] as Thing, pot: pots[0] as Thing },
  };
}

export const growPlantFamily: TaskFamily = {
  name: 'grow-plant',
  legacyName: 'task-4-grow-plant',
  variations: 126,
  maxSteps: 30,
  etoCounts: { train: 83, seen: 10, unseen: 10 },
  setup: (variation) => setup(variation, 'plant'),
  expert: (view) => growExpert(view),
};

export const growFruitFamily: TaskFamily = {
  name: 'grow-fruit',
  legacyName: 'task-4-grow-fruit',
  variations: 126,
  maxSteps: 60,
  etoCounts: { train: 62, seen: 10, unseen: 10 },
  setup: (variation) => setup(variation, 'fruit'),
  expert: (view) => fruitExpert(view),
};

/** Yields `action`; when it would be ambiguous, also yields the number of the reading that involves `thing`. */
export function* actOn(view: ExpertView, thought: string, action: string, thing: Thing): Generator<ExpertStep, void, void> {
  const readings = new Parser(view.world, here(view)).parse(action);
  yield step(thought, action);
  if (readings.length > 1) {
    const index = readings.findIndex((r) => r.things.includes(thing));
    yield step(`Several objects match. I choose number ${index}, the one I mean.`, String(index));
  }
}

/** Seed jar in hand, soil for the pots (dug outside in the third pot case), then into the greenhouse. */
function* fetchSeedsAndSoil(view: ExpertView, soilNeeded: number, focusSeed: boolean): Generator<ExpertStep, void, void> {
  const { species, jarRoom, potCase } = view.setup.facts as { species: string; jarRoom: string; potCase: number };
  const seed = view.setup.facts.seed as Thing;
  yield* goTo(view, jarRoom, `The seeds are in the ${jarRoom}. I go there first.`);
  yield step(`Let me look around the ${jarRoom} for the seeds.`, 'look around');
  if (focusSeed) yield* actOn(view, `The seed jar holds ${species} seeds. The task asks me to focus on a seed first.`, `focus on ${species} seed`, seed);
  yield step('I take the seed jar so I can plant the seeds in the greenhouse.', 'pick up seed jar');
  if (potCase === 2) {
    const shovel = descendants(room(view.world, 'greenhouse')).find((t) => t.name === 'shovel');
    if (shovel) {
      yield* goTo(view, 'greenhouse', 'The flower pots have no soil, so I need a shovel to dig some. I check the greenhouse.');
      yield step('Let me look around the greenhouse.', 'look around');
      yield step('Here is a shovel. I take it to dig soil outside.', 'pick up shovel');
      yield* goTo(view, 'outside', 'Soil can be dug from the ground outside.');
    } else {
      yield* goTo(view, 'outside', 'The pots will need soil; the ground outside has soil, and a shovel may be there.');
      yield step('Let me look around outside for a shovel.', 'look around');
      yield step('There is the shovel. I pick it up.', 'pick up shovel');
    }
    for (let i = 0; i < soilNeeded; i++) yield step('I dig some soil out of the ground with the shovel.', 'use shovel on ground');
  }
  yield* goTo(view, 'greenhouse', 'Plants grow in flower pots, which are in the greenhouse.');
  yield step('Let me look around the greenhouse at the flower pots.', 'look around');
}

/** Soil (when the pot has none) and then the seed into a pot. */
function* plantIn(view: ExpertView, pot: Thing, seed: Thing, why: string): Generator<ExpertStep, void, void> {
  const species = view.setup.facts.species as string;
  if (!pot.contents.some((t) => t.name === 'soil')) {
    const soil = [...view.world.inventory.contents, ...room(view.world, 'greenhouse').contents].find((t) => t.name === 'soil') as Thing;
    yield* actOn(view, `The ${pot.name} has no soil. Seeds need soil, so I put some in.`, `move soil to ${pot.name}`, soil);
  }
  yield* actOn(view, why, `move ${species} seed to ${pot.name}`, seed);
}

function* growExpert(view: ExpertView): Generator<ExpertStep, void, void> {
  const species = view.setup.facts.species as string;
  const seed = view.setup.facts.seed as Thing;
  const pot = view.setup.facts.pot as Thing;
  yield* fetchSeedsAndSoil(view, 1, true);
  yield* plantIn(view, pot, seed, `Now I plant the seed I focused on in the ${pot.name}, which has soil and water.`);
  for (let guard = 0; guard < 8 && !view.done; guard++) {
    yield step(`The seed needs time to grow. I wait.`, 'wait');
    if (view.done) break;
    yield step(`Let me check how the ${species} is growing.`, `look at ${pot.name}`);
  }
}

function* fruitExpert(view: ExpertView): Generator<ExpertStep, void, void> {
  const species = view.setup.facts.species as string;
  const greenhouse = room(view.world, 'greenhouse');
  const pots = [1, 2, 3].map((i) => greenhouse.contents.find((t) => t.name === `flower pot ${i}`) as Thing);
  yield* fetchSeedsAndSoil(view, pots.length, false);
  const jar = view.world.inventory.contents.find((t) => t.name === 'seed jar') as Thing;
  for (const [i, pot] of pots.entries()) {
    const seed = jar.contents.find((t) => t.kind === 'plant') as Thing;
    const why = i === 0
      ? `Fruit needs cross-pollination between plants, so I plant a seed in each flower pot. First the ${pot.name}.`
      : `Next I plant a seed in the ${pot.name}.`;
    yield* plantIn(view, pot, seed, why);
  }
  const fruit = (): Thing | undefined => descendants(greenhouse).find((t) => t.name === species && t.kind === 'plain');
  for (let guard = 0; guard < 10 && !fruit() && !view.done; guard++) {
    yield step(`The plants need time to grow and be pollinated by the bees. I wait.`, 'wait');
    if (fruit()) break;
    yield step(`Let me check how the ${species} plants are doing.`, `look at ${pots[0]?.name}`);
  }
  const grown = fruit() as Thing;
  yield step(`${article(species) === 'an' ? 'An' : 'A'} ${species} has grown on one of the plants. I focus on it to finish the task.`, `focus on ${uniqueRef(view, grown, (r) => `focus on ${r}`)}`);
}

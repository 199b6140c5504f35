// Biology tasks 8-1 (identify-life-stages-1: one animal of 14 ages through its stages outside, among
// five adult distractors) and 8-2 (identify-life-stages-2: a tree at every stage in self-watering flower
// pots outside, among one distractor animal at every stage). S = [focus on the living thing at stage 1,
// then 2, …], each defocusing; focusing anything else fails. Stage names and durations are this port's.
import { Rng } from '../../../rng.ts';
import type { ExpertStep, ExpertView, TaskFamily, TaskSetup } from '../family.ts';
import { goTo, step, uniqueRef } from '../expert-kit.ts';
import type { Goal } from '../goals.ts';
import { GoalSequence } from '../goals.ts';
import type { Thing } from '../things.ts';
import { descendants, putInside, roomOf } from '../things.ts';
import type { World } from '../world.ts';
import { animal, buildWorld, makers, room } from '../world.ts';
import { makePlant } from './find.ts';

/** Ticks an animal spends in each stage: longer than one `wait`, so no stage is skipped by waiting once. */
export const ANIMAL_STAGE_TICKS = 12;

const INSECT = ['egg', 'caterpillar', 'pupa', 'adult'];
const AMPHIBIAN = ['egg', 'tadpole', 'adult'];
const EGG_LAYER = ['egg', 'hatchling', 'juvenile', 'adult'];
const MAMMAL = ['baby', 'juvenile', 'adult'];
const ANIMAL_CYCLES: [string, string[]][] = [
  ['butterfly', INSECT], ['moth', INSECT], ['frog', AMPHIBIAN], ['toad', AMPHIBIAN], ['giant tortoise', EGG_LAYER],
  ['turtle', EGG_LAYER], ['crocodile', EGG_LAYER], ['parrot', EGG_LAYER], ['dove', EGG_LAYER], ['blue jay', EGG_LAYER],
  ['elephant', MAMMAL], ['brown bear', MAMMAL], ['beaver', MAMMAL], ['wolf', MAMMAL],
];
// Repeatably shuffled so one kind of animal is not all in one fold, as the original does.
const ANIMAL_ORDER = new Rng(1).shuffle(ANIMAL_CYCLES);
const TREES = ['apple', 'apricot', 'avocado', 'banana', 'cherry', 'grapefruit', 'lemon', 'orange', 'peach', 'pear'];
const PLANT_STAGES = ['seed', 'seedling', 'adult', 'reproducing'];

function cycling(world: World, species: string, stages: string[], stage: string, ticks: number): Thing {
  const thing = animal(world.factory, species);
  thing.life = { species, stage, ticksInStage: 0, cycle: { stages, ticks } };
  return thing;
}

/** Stage goals for one species, plus the optional location goals of the original. */
function stageGoals(species: string, stages: string[], noun: string): () => GoalSequence {
  return () => {
    const ordered: Goal[] = stages.map((stage, i) => ({
      description: `focus on ${noun} in life stage ${i + 1}`,
      defocusOnPass: true,
      check: ({ focus }) => {
        if (!focus) return 'none';
        return focus.life?.species === species && focus.life.stage === stage ? 'pass' : 'fail';
      },
    }));
    let start: Thing | null = null;
    let outsideChecks = 0;
    const stay = (n: number): Goal => ({
      description: `Stay in goal location for ${n} steps`,
      check: () => (outsideChecks >= n ? 'pass' : 'none'),
    });
    const unordered: Goal[] = [
      {
        description: 'Move to a new location (unless starting in task location)',
        check: ({ world }) => {
          const where = roomOf(world.agent);
          start ??= where;
          if (where?.name === 'outside') outsideChecks += 1;
          return where !== start || start?.name === 'outside' ? 'pass' : 'none';
        },
      },
      { description: 'Move to the location asked by the task', check: ({ world }) => (roomOf(world.agent)?.name === 'outside' ? 'pass' : 'none') },
      stay(10), stay(20), stay(30),
    ];
    return new GoalSequence(ordered, unordered);
  };
}

function setupAnimals(variation: number): TaskSetup {
  const [species, stages] = ANIMAL_ORDER[variation] as [string, string[]];
  const world = buildWorld(new Rng(7500 + variation));
  const outside = room(world, 'outside');
  putInside(cycling(world, species, stages, stages[0] as string, ANIMAL_STAGE_TICKS), outside);
  const others = new Rng(variation).shuffle(ANIMAL_CYCLES.filter(([name]) => name !== species)).slice(0, 5);
  for (const [name] of others) putInside(animal(world.factory, name), outside);
  return {
    world,
    description: `Your task is to focus on the ${stages.length} life stages of the ${species}, starting from earliest to latest.`,
    makeGoals: stageGoals(species, stages, 'animal'),
    facts: { species, stages: stages.join(','), noun: species },
  };
}

function setupPlants(variation: number): TaskSetup {
  const tree = TREES[variation] as string;
  const world = buildWorld(new Rng(7800 + variation));
  const m = makers(world.factory);
  const outside = room(world, 'outside');
  const numbers = new Rng(7900 + variation).shuffle([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  PLANT_STAGES.forEach((stage, i) => {
    const plant = makePlant(world, tree, stage === 'seed' ? 'seed' : 'adult');
    if (plant.life) plant.life.stage = stage;
    putInside(m.cup(`self watering flower pot ${numbers[i]}`, [m.substance('soil'), m.substance('water'), plant], 'flower pot'), outside);
  });
  const [distractor, stages] = new Rng(variation).pick(ANIMAL_CYCLES);
  for (const stage of stages) putInside(cycling(world, distractor, stages, stage, 100000), outside);
  return {
    world,
    description: `Your task is to focus on the life stages of the ${tree} plant, starting from earliest to latest. The plants are located outside.`,
    makeGoals: stageGoals(tree, PLANT_STAGES, 'plant'),
    facts: { species: tree, stages: PLANT_STAGES.join(','), noun: `${tree} plant` },
  };
}

export const lifeStagesAnimalFamily: TaskFamily = {
  name: 'identify-life-stages-1',
  legacyName: 'task-7-identify-life-stages-1',
  variations: 14,
  maxSteps: 30,
  etoCounts: { train: 6, seen: 3, unseen: 5 },
  setup: setupAnimals,
  expert: (view) => stagesExpert(view),
};

export const lifeStagesPlantFamily: TaskFamily = {
  name: 'identify-life-stages-2',
  legacyName: 'task-7-identify-life-stages-2',
  variations: 10,
  maxSteps: 30,
  etoCounts: { train: 4, seen: 2, unseen: 4 },
  setup: setupPlants,
  expert: (view) => stagesExpert(view),
};

function* stagesExpert(view: ExpertView): Generator<ExpertStep, void, void> {
  const species = view.setup.facts.species as string;
  const noun = view.setup.facts.noun as string;
  const stages = (view.setup.facts.stages as string).split(',');
  yield* goTo(view, 'outside', `The ${noun} should be outside. I go there to watch its life stages.`);
  yield step(`Let me look around for the ${noun}.`, 'look around');
  const living = (): Thing[] => descendants(room(view.world, 'outside')).filter((t) => t.life?.species === species);
  for (const [i, stage] of stages.entries()) {
    for (let guard = 0; guard < 20 && !view.done; guard++) {
      if (living().some((t) => t.life?.stage === stage)) break;
      const ager = living().find((t) => t.life?.cycle);
      const left = ager?.life?.cycle ? ager.life.cycle.ticks - ager.life.ticksInStage : 1;
      yield step(`The ${noun} is not in the ${stage} stage yet. I wait for it to grow.`, left >= 10 ? 'wait' : 'wait1');
    }
    if (view.done) return;
    const target = living().find((t) => t.life?.stage === stage) as Thing;
    const order = i === 0 ? 'The earliest life stage is' : `The next life stage is`;
    yield step(`${order} the ${stage} stage. I focus on the ${noun} in that stage.`, `focus on ${uniqueRef(view, target, (r) => `focus on ${r}`)}`);
  }
}

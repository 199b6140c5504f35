// Chemistry task 6-1 (chemistry-mix): 16 recipes × {kitchen, workshop} = 32 variations, ordered as the
// original (train recipes, then dev, then test, each location-major). A recipe and the ingredients lie
// in that room; water comes from a sink and paint from the art studio. S = [focus on the product].
import { Rng } from '../../../rng.ts';
import { RECIPES } from '../chemistry.ts';
import type { ExpertStep, ExpertView, TaskFamily, TaskSetup } from '../family.ts';
import { goTo, here, step, uniqueRef } from '../expert-kit.ts';
import { focusOn, inRoomWith, movedToNewLocation } from '../goal-library.ts';
import type { Goal } from '../goals.ts';
import { GoalSequence } from '../goals.ts';
import { isKnownSubstance } from '../materials.ts';
import type { Thing } from '../things.ts';
import { descendants, isLiquid, putInside, roomOf } from '../things.ts';
import type { World } from '../world.ts';
import { allThings, buildWorld, makers, room } from '../world.ts';

const LOCATIONS = ['kitchen', 'workshop'];
/** Recipe indices per fold, as the original lists them (train 8, dev 4, test 4). */
const FOLDS = [[0, 1, 2, 3, 4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]];
const ORDER: [number, string][] = FOLDS.flatMap((fold) => LOCATIONS.flatMap((location) => fold.map((r): [number, string] => [r, location])));
const FROM_ELSEWHERE = new Set(['water', 'blue paint', 'red paint']);

function makeIngredient(world: World, name: string): Thing {
  const m = makers(world.factory);
  if (!isKnownSubstance(name)) return m.item(name, name === 'paper' ? { combustible: true } : { edible: true });
  const substance = m.substance(name);
  // Liquids come in a bottle so they can be carried and poured.
  return isLiquid(substance) ? m.cup('bottle', [substance], 'bottle') : substance;
}

function setup(variation: number): TaskSetup {
  const [recipeIndex, location] = ORDER[variation] as [number, string];
  const recipe = RECIPES[recipeIndex] as (typeof RECIPES)[number];
  const world = buildWorld(new Rng(6500 + variation));
  const place = room(world, location);
  const m = makers(world.factory);
  putInside(m.item('recipe', { text: `The recipe reads: To make ${recipe.result}, mix ${recipe.inputs.join(', ')}.` }), place);
  for (const input of recipe.inputs) {
    if (FROM_ELSEWHERE.has(input) || descendants(place).some((t) => t.name === input)) continue;
    putInside(makeIngredient(world, input), place);
  }
  const description = `Your task is to use chemistry to create the substance '${recipe.result}'. ` +
    `A recipe and some of the ingredients might be found near the ${location}. When you are done, focus on the ${recipe.result}.`;
  const makeGoals = (): GoalSequence => {
    const unordered: Goal[] = [
      movedToNewLocation(),
      ...recipe.inputs.map((input) => inRoomWith(input)),
      {
        description: 'have all ingredients alone in a single container',
        check: ({ world: w }) => {
          const containers = allThings(w).filter((t) => t.container && t.kind !== 'room');
          return containers.some((c) => c.contents.length === recipe.inputs.length && recipe.inputs.every((i) => c.contents.some((t) => t.name === i))) ? 'pass' : 'none';
        },
      },
      inRoomWith(recipe.result),
    ];
    return new GoalSequence([focusOn(`focus on result chemical (${recipe.result})`, (t) => t.name === recipe.result)], unordered);
  };
  return { world, description, makeGoals, facts: { result: recipe.result, location, inputs: recipe.inputs.join(',') } };
}

export const chemistryMixFamily: TaskFamily = {
  name: 'chemistry-mix',
  legacyName: 'task-5-chemistry-mix',
  variations: 32,
  maxSteps: 60,
  etoCounts: { train: 16, seen: 8, unseen: 8 },
  setup,
  expert: (view) => mixExpert(view),
};

function* mixExpert(view: ExpertView): Generator<ExpertStep, void, void> {
  const result = view.setup.facts.result as string;
  const location = view.setup.facts.location as string;
  const inputs = (view.setup.facts.inputs as string).split(',');
  yield* goTo(view, 'kitchen', `To make ${result} I first need a container to mix in; the kitchen has some.`);
  yield step('Let me look around the kitchen for an empty container.', 'look around');
  yield step('The metal pot in the cupboard is empty. I take it to mix the ingredients in.', 'pick up metal pot');
  const pot = view.world.inventory.contents.find((t) => t.name === 'metal pot') as Thing;
  if (inputs.includes('water')) {
    yield step('The recipe needs water. I put the metal pot in the sink to fill it.', 'move metal pot to sink');
    yield step('Turning on the sink fills the pot with water.', 'activate sink');
    yield step('The pot has water now, so I turn the sink off.', 'deactivate sink');
    yield step('I take the metal pot with the water.', 'pick up metal pot');
  }
  const paint = inputs.find((i) => i.endsWith(' paint'));
  if (paint) {
    yield* goTo(view, 'art studio', `The recipe needs ${paint}, which I can find in the art studio.`);
    const cup = descendants(room(view.world, 'art studio')).find((t) => t.name === 'wood cup' && t.contents.some((c) => c.name === paint)) as Thing;
    yield step(`I pour the ${paint} into the metal pot.`, `pour ${uniqueRef(view, cup, (r) => `pour ${r} into metal pot`)} into metal pot`);
  }
  yield* goTo(view, location, `The recipe and the other ingredients should be near the ${location}.`);
  yield step(`Let me look around the ${location} for the recipe and the ingredients.`, 'look around');
  yield step('There is a recipe. I pick it up.', 'pick up recipe');
  yield step('Let me read the recipe to see what to mix.', 'read recipe in inventory');
  for (const input of inputs) {
    if (input === 'water' || input === paint) continue;
    const thing = descendants(here(view)).find((t) => t.name === input && t.parent !== pot) as Thing;
    if (isLiquid(thing)) {
      yield step(`I pour the ${input} into the metal pot.`, `pour ${uniqueRef(view, thing, (r) => `pour ${r} into metal pot`)} into metal pot`);
    } else {
      yield step(`I put the ${input} in the metal pot.`, `move ${uniqueRef(view, thing, (r) => `move ${r} to metal pot`)} to metal pot`);
    }
  }
  yield step(`The metal pot holds all the ingredients: ${inputs.join(', ')}. I mix them.`, 'mix metal pot');
  const product = pot.contents.find((t) => t.name === result) as Thing | undefined;
  yield step(`The ${result} is made. I focus on it to finish the task.`, `focus on ${product ? uniqueRef(view, product, (r) => `focus on ${r}`) : result}`);
}

// Chemistry tasks 6-2 and 6-3 (mix a secondary / tertiary paint colour): 36 variations each (the target
// colour cycles, the house layout varies). S = [focus on the made paint (else fail)]. Paint cups are in
// the art studio, two of each primary colour, with an empty glass cup on the table for mixing.
import { Rng } from '../../../rng.ts';
import { paintRecipe, PRIMARY_COLOURS } from '../chemistry.ts';
import type { ExpertStep, ExpertView, TaskFamily } from '../family.ts';
import { goTo, step, uniqueRef } from '../expert-kit.ts';
import { focusOn } from '../goal-library.ts';
import { GoalSequence } from '../goals.ts';
import type { Thing } from '../things.ts';
import { descendants } from '../things.ts';
import { buildWorld, room } from '../world.ts';

const SECONDARY = ['green', 'orange', 'violet'];
const TERTIARY = ['yellow-green', 'blue-green', 'blue-violet', 'red-violet', 'red-orange', 'yellow-orange'];

export function paintFamily(tier: 'secondary' | 'tertiary'): TaskFamily {
  const colours = tier === 'secondary' ? SECONDARY : TERTIARY;
  return {
    name: `chemistry-mix-paint-${tier}-color`,
    legacyName: `task-5-chemistry-mix-paint-(${tier}-color)`,
    variations: 36,
    maxSteps: tier === 'secondary' ? 15 : 30,
    etoCounts: { train: 18, seen: 9, unseen: 9 },
    setup: (variation) => {
      const colour = colours[variation % colours.length] as string;
      const world = buildWorld(new Rng(6000 + variation + (tier === 'tertiary' ? 100 : 0)));
      const paint = `${colour} paint`;
      return {
        world,
        description: `Your task is to use chemistry to create ${paint}. When you are done, focus on the ${paint}.`,
        makeGoals: () => new GoalSequence([focusOn(`focus on ${paint}`, (t) => t.name === paint)], []),
        facts: { colour },
      };
    },
    expert: (view) => paintExpert(view),
  };
}

/** The primaries a colour needs, in pouring order (a tertiary = its secondary's two primaries, then one more). */
function primariesFor(colour: string): string[][] {
  const recipe = paintRecipe(colour) as [string, string];
  if (recipe.every((c) => (PRIMARY_COLOURS as readonly string[]).includes(c))) return [recipe];
  const secondary = recipe.find((c) => !(PRIMARY_COLOURS as readonly string[]).includes(c)) as string;
  const primary = recipe.find((c) => c !== secondary) as string;
  return [paintRecipe(secondary) as [string, string], [primary]];
}

function* paintExpert(view: ExpertView): Generator<ExpertStep, void, void> {
  const colour = view.setup.facts.colour as string;
  yield* goTo(view, 'art studio', `To make ${colour} paint I need paints to mix; an art studio should have them.`);
  yield step("Now that I'm in the art studio, I look around for paints and an empty container.", 'look around');
  const studio = room(view.world, 'art studio');
  const mixer = descendants(studio).find((t) => t.name === 'glass cup') as Thing;
  const used = new Set<Thing>();
  for (const batch of primariesFor(colour)) {
    for (const primary of batch) {
      const cup = descendants(studio).find((t) => t.name === 'wood cup' && !used.has(t) && t.contents.some((c) => c.name === `${primary} paint`)) as Thing;
      used.add(cup);
      const into = uniqueRef(view, mixer, (r) => `pour ${uniqueRef(view, cup, (c) => `pour ${c} into ${r}`)} into ${r}`);
      const from = uniqueRef(view, cup, (c) => `pour ${c} into ${into}`);
      yield step(`I pour the ${primary} paint into the glass cup, where I will mix the colours.`, `pour ${from} into ${into}`);
    }
    const made = mixName(batch, colour);
    yield step(`The glass cup now holds the paints to combine. Mixing them should make ${made} paint.`, `mix ${uniqueRef(view, mixer, (r) => `mix ${r}`)}`);
  }
  yield step(`The ${colour} paint is made. I focus on it to finish the task.`, `focus on ${colour} paint`);
}

function mixName(batch: string[], target: string): string {
  const sorted = [...batch].sort();
  for (const colour of [...SECONDARY, ...TERTIARY]) {
    const recipe = paintRecipe(colour);
    if (recipe && recipe[0] === sorted[0] && recipe[1] === sorted[1]) return colour;
  }
  return target;
}

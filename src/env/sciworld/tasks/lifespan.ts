// Biology tasks 7-1…7-3 (the animal with the longest / shortest life span, or longest then shortest):
// 125 variations = one short-, one medium- and one long-lived animal from pools of five, outside.
import { Rng } from '../../../rng.ts';
import type { ExpertStep, ExpertView, TaskFamily } from '../family.ts';
import { goTo, step, uniqueRef } from '../expert-kit.ts';
import { focusOn } from '../goal-library.ts';
import type { Goal } from '../goals.ts';
import { GoalSequence } from '../goals.ts';
import type { Thing } from '../things.ts';
import { putInside } from '../things.ts';
import { animal, buildWorld, room } from '../world.ts';

type Mode = 'longest' | 'shortest' | 'longest-then-shortest';

/** Typical life spans in years (short pool < medium pool < long pool, so the answer is unique). */
const SHORT: [string, number][] = [['mouse', 2], ['chipmunk', 3], ['dragonfly', 1], ['butterfly', 1], ['hamster', 3]];
const MEDIUM: [string, number][] = [['rabbit', 9], ['beaver', 12], ['wolf', 13], ['toad', 10], ['squirrel', 11]];
const LONG: [string, number][] = [['elephant', 70], ['crocodile', 70], ['giant tortoise', 150], ['parrot', 60], ['brown bear', 30]];

const DESCRIPTIONS: Record<Mode, string> = {
  longest: "Your task is to find the animal with the longest life span.  The animals are in the 'outside' location.  Focus on the animal with the longest life span.",
  shortest: "Your task is to find the animal with the shortest life span.  The animals are in the 'outside' location.  Focus on the animal with the shortest life span.",
  'longest-then-shortest': "Your task is to find the animal with the longest life span, then the shortest life span. First, focus on the animal with the longest life span.  Then, focus on the animal with the shortest life span. The animals are in the 'outside' location.",
};

export function lifespanFamily(mode: Mode, name: string, maxSteps: number, counts: TaskFamily['etoCounts']): TaskFamily {
  return {
    name,
    legacyName: `task-6-${name}`,
    variations: 125,
    maxSteps,
    etoCounts: counts,
    setup: (variation) => {
      const picks = [SHORT[variation % 5], MEDIUM[Math.floor(variation / 5) % 5], LONG[Math.floor(variation / 25) % 5]] as [string, number][];
      const world = buildWorld(new Rng(7000 + variation));
      const rng = new Rng(7100 + variation);
      for (const [species, years] of rng.shuffle(picks)) putInside(animal(world.factory, species, years), room(world, 'outside'));
      const [shortest, , longest] = picks.map((p) => p[0]) as [string, string, string];
      const longGoal = focusOn('focus on the longest-lived animal', (t) => t.name === longest);
      const shortGoal = focusOn('focus on the shortest-lived animal', (t) => t.name === shortest);
      const ordered: Goal[] = mode === 'longest' ? [longGoal] : mode === 'shortest' ? [shortGoal] : [{ ...longGoal, defocusOnPass: true }, shortGoal];
      return { world, description: DESCRIPTIONS[mode], makeGoals: () => new GoalSequence(ordered, []), facts: { shortest, longest } };
    },
    expert: (view) => lifespanExpert(view, mode),
  };
}

function* lifespanExpert(view: ExpertView, mode: Mode): Generator<ExpertStep, void, void> {
  yield* goTo(view, 'outside', 'The animals are outside, so I go there.');
  yield step('Let me look around to see which animals are here.', 'look around');
  const outside = room(view.world, 'outside').contents;
  const animals = outside.filter((t) => t.kind === 'animal');
  const named = (name: string): Thing => animals.find((t) => t.name === name) as Thing;
  const list = animals.map((t) => t.name).join(', ');
  const longest = view.setup.facts.longest as string;
  const shortest = view.setup.facts.shortest as string;
  if (mode !== 'shortest') {
    yield step(`The animals here are ${list}. Of these, the ${longest} lives the longest.`, `focus on ${uniqueRef(view, named(longest), (r) => `focus on ${r}`)}`);
  }
  if (mode !== 'longest') {
    yield step(`Of the animals here (${list}), the ${shortest} has the shortest life span.`, `focus on ${uniqueRef(view, named(shortest), (r) => `focus on ${r}`)}`);
  }
}

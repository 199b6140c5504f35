// Mixing recipes of the ScienceWorld port: paint colours (primary + primary → secondary, primary +
// adjacent secondary → tertiary). Only the recipes the supported tasks need; other chemistry is absent.
import { makeSubstance } from './materials.ts';
import type { Thing } from './things.ts';
import { detach, putInside } from './things.ts';
import type { World } from './world.ts';

const PAINT_RECIPES: [string, string, string][] = [
  ['blue', 'red', 'violet'], ['red', 'yellow', 'orange'], ['blue', 'yellow', 'green'],
  ['green', 'yellow', 'yellow-green'], ['blue', 'green', 'blue-green'], ['blue', 'violet', 'blue-violet'],
  ['red', 'violet', 'red-violet'], ['orange', 'red', 'red-orange'], ['orange', 'yellow', 'yellow-orange'],
];

export const PRIMARY_COLOURS = ['red', 'blue', 'yellow'] as const;

/** The two colours (sorted) that mix to `result`, or undefined. */
export function paintRecipe(result: string): [string, string] | undefined {
  const found = PAINT_RECIPES.find((r) => r[2] === result);
  return found ? [found[0], found[1]] : undefined;
}

function paintColour(thing: Thing): string | null {
  if (thing.kind !== 'substance' || thing.matter?.state !== 'liquid') return null;
  const match = /^(.*) paint$/.exec(thing.name);
  return match ? (match[1] as string) : null;
}

export function mixContents(world: World, container: Thing): string {
  const colours = container.contents.map(paintColour);
  if (colours.length === 2 && colours.every((c) => c !== null)) {
    const [a, b] = (colours as string[]).slice().sort() as [string, string];
    const recipe = PAINT_RECIPES.find((r) => r[0] === a && r[1] === b);
    if (recipe) {
      for (const item of [...container.contents]) detach(item);
      putInside(makeSubstance(world.factory, `${recipe[2]} paint`), container);
      return `${a.charAt(0).toUpperCase()}${a.slice(1)} and ${b} paint mix to produce ${recipe[2]} paint.`;
    }
  }
  return `Mixing the contents of the ${container.name} does not produce anything new.`;
}

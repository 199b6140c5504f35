// Mixing recipes of the ScienceWorld port: paint colours (primary + primary → secondary, primary +
// adjacent secondary → tertiary) and the chemistry-mix recipes (salt water, sandwiches, rust …).
import { isKnownSubstance, makeSubstance } from './materials.ts';
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

/** Chemistry-mix recipes: the product and the ingredient names (all must be alone in the container). */
export const RECIPES: { result: string; inputs: string[] }[] = [
  { result: 'salt water', inputs: ['sodium chloride', 'water'] },
  { result: 'soapy water', inputs: ['soap', 'water'] },
  { result: 'mixed nuts', inputs: ['peanut', 'almond', 'cashew'] },
  { result: 'sodium acetate', inputs: ['acetic acid', 'sodium bicarbonate'] },
  { result: 'banana sandwich', inputs: ['banana', 'bread'] },
  { result: 'blue paper', inputs: ['paper', 'blue paint'] },
  { result: 'peanut butter sandwich', inputs: ['peanut', 'bread'] },
  { result: 'peanut butter with jam sandwich', inputs: ['peanut', 'jam', 'bread'] },
  { result: 'smores', inputs: ['chocolate', 'marshmallow'] },
  { result: 'dough', inputs: ['flour', 'water'] },
  { result: 'fruit salad', inputs: ['apple', 'orange', 'banana'] },
  { result: 'jam sandwich', inputs: ['jam', 'bread'] },
  { result: 'sugar water', inputs: ['sugar', 'water'] },
  { result: 'peanut butter with banana sandwich', inputs: ['peanut', 'banana', 'bread'] },
  { result: 'rust', inputs: ['iron block', 'water'] },
  { result: 'red paper', inputs: ['paper', 'red paint'] },
];

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join('|') === [...b].sort().join('|');
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
  const names = container.contents.map((t) => t.name);
  const recipe = RECIPES.find((r) => sameSet(r.inputs, names));
  if (recipe) {
    for (const item of [...container.contents]) detach(item);
    const product = isKnownSubstance(recipe.result)
      ? makeSubstance(world.factory, recipe.result)
      : world.factory.make('plain', recipe.result, {});
    putInside(product, container);
    const listed = [...recipe.inputs].sort();
    const head = listed.length === 2 ? listed.join(' and ') : `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)}`;
    return `${head.charAt(0).toUpperCase()}${head.slice(1)} mix to produce ${recipe.result}.`;
  }
  return `Mixing the contents of the ${container.name} does not produce anything new.`;
}

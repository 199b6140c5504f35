// ALFWorld's observation texts (benchmarks.md §2.3): lists with the article "a" and the Oxford comma,
// receptacle views, the initial look, the intro with its banner. Pure functions of a game and state.
import type { Game, GameState, Receptacle } from './world.ts';
import { goalText } from './tasks.ts';

export const BANNER = '-= Welcome to TextWorld, ALFRED! =-';
export const NOTHING_HAPPENS = 'Nothing happens.';

/** `nothing` / `a X` / `a X, a Y, and a Z` (also `a X, and a Y` for two). */
export function formatList(names: readonly string[]): string {
  if (names.length === 0) return 'nothing';
  if (names.length === 1) return `a ${names[0]}`;
  const head = names.slice(0, -1).map((n) => `a ${n}`).join(', ');
  return `${head}, and a ${names[names.length - 1]}`;
}

/** Names of the objects in a receptacle, in display order (type ascending, number descending). */
export function contents(game: Game, state: GameState, receptacle: string): string[] {
  const names: string[] = [];
  for (const thing of game.things) if (state.where.get(thing.name) === receptacle) names.push(thing.name);
  return names;
}

export function receptacleView(game: Game, state: GameState, receptacle: Receptacle): string {
  if (receptacle.openable) {
    if (!state.open.has(receptacle.name)) return `The ${receptacle.name} is closed.`;
    return `The ${receptacle.name} is open. In it, you see ${formatList(contents(game, state, receptacle.name))}.`;
  }
  return `On the ${receptacle.name}, you see ${formatList(contents(game, state, receptacle.name))}.`;
}

export function middleOfRoom(game: Game): string {
  return `You are in the middle of a room. Looking quickly around you, you see ${formatList(game.floorplan.receptacles.map((r) => r.name))}.`;
}

/** The game's opening text: banner, look, task, separated by blank lines. */
export function intro(game: Game): string {
  return `${BANNER}\n\n${middleOfRoom(game)}\n\nYour task is to: ${goalText(game.task)}.`;
}

export function examineThing(game: Game, state: GameState, name: string): string {
  const hot = state.hot.has(name);
  const cool = state.cool.has(name);
  const clean = state.clean.has(name);
  if (hot && clean) return `This is a hot and clean ${name}.`;
  if (cool && clean) return `This is a cool and clean ${name}.`;
  if (hot) return `This is a hot ${name}.`;
  if (clean) return `This is a clean ${name}.`;
  if (cool) return `This is a cold ${name}.`;
  if (game.thingByName.get(name)?.portable === false) return state.on.has(name) ? `This ${name} is on.` : `This ${name} is off.`;
  return `There's nothing special about ${name}.`;
}

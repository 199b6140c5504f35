// Where ALFWorld games come from: (split, index) → a generated game, kept only if the expert solves it
// well within ETO's 40 steps (ALFWorld likewise keeps only games its planner marked solvable).
// A small cache avoids regenerating the game that was just played.
import { EnvError } from '../../errors.ts';
import { AlfWorldEnv, type GameSource } from './alfworld-env.ts';
import { AlfWorldExpert } from './expert.ts';
import { generateGame } from './generate.ts';
import { harness } from './harness.ts';
import { intro } from './texts.ts';
import type { EnvInfo } from '../types.ts';
import { FLOORPLAN_SET, type AlfWorldOptions } from './splits.ts';
import type { Game } from './world.ts';

/** The longest expert episode a game may need. */
export const EXPERT_STEP_BUDGET = 30;
const CACHE_SIZE = 64;

/** Steps the expert needs on a game, or null when it fails within `budget`. */
export function expertSteps(game: Game, budget: number): number | null {
  const env = new AlfWorldEnv(() => game);
  env.load(game, 'check');
  const reset = { observation: intro(game), info: { taskId: 'check' } };
  const expert = new AlfWorldExpert(reset, 0);
  let observation = reset.observation;
  let info: EnvInfo = reset.info;
  for (let step = 1; step <= budget; step++) {
    const action = harness.parseAction(expert.act(observation, info)) ?? '';
    const result = env.step(action);
    if (result.info.won) return step;
    if (result.terminated || result.truncated) return null;
    observation = result.observation;
    info = result.info;
  }
  return null;
}

export function makeGameSource(options: AlfWorldOptions): GameSource {
  const cache = new Map<string, Game>();
  return (split, index) => {
    const set = FLOORPLAN_SET[split as keyof typeof FLOORPLAN_SET];
    const size = options.sizes[split as keyof typeof options.sizes];
    if (!set || size === undefined) throw new EnvError(`alfworld: unknown split "${split}"; known: ${Object.keys(options.sizes).join(', ')}`);
    if (!Number.isInteger(index) || index < 0 || index >= size) throw new EnvError(`alfworld: task ${index} is outside split ${split} (0..${size - 1})`);
    const key = `${split}/${index}`;
    const cached = cache.get(key);
    if (cached) return cached;
    let game = generateGame({ split, index, set, worldSeed: options.seed, attempt: 0 });
    for (let attempt = 1; expertSteps(game, EXPERT_STEP_BUDGET) === null; attempt++) {
      if (attempt > 100) throw new EnvError(`alfworld: no solvable game for ${key}`);
      game = generateGame({ split, index, set, worldSeed: options.seed, attempt });
    }
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, game);
    return game;
  };
}

// ALFWorld's six task types (benchmarks.md §2.4): both goal templates of each, and the goal checks
// that run after every applied action. A goal counts any instance of the target type.
import type { Game, GameState } from './world.ts';

export type TaskType = 'put' | 'examine' | 'clean' | 'heat' | 'cool' | 'puttwo';
export const TASK_TYPES: readonly TaskType[] = ['put', 'examine', 'clean', 'heat', 'cool', 'puttwo'];

/** ALFWorld's directory names for the types (ETO's PREFIXES map them back to the short names). */
export const TASK_TYPE_NAMES: Record<TaskType, string> = {
  put: 'pick_and_place_simple',
  examine: 'look_at_obj_in_light',
  clean: 'pick_clean_then_place_in_recep',
  heat: 'pick_heat_then_place_in_recep',
  cool: 'pick_cool_then_place_in_recep',
  puttwo: 'pick_two_obj_and_place',
};

export interface Task {
  type: TaskType;
  /** Object type to handle, e.g. `apple`. */
  object: string;
  /** Receptacle type to put it in, or the lamp type for `examine`. */
  target: string;
  /** Which of the type's two goal templates. */
  template: 0 | 1;
}

const TEMPLATES: Record<TaskType, [string, string]> = {
  put: ['put a {obj} in {recep}', 'put some {obj} on {recep}'],
  examine: ['look at {obj} under the {toggle}', 'examine the {obj} with the {toggle}'],
  clean: ['put a clean {obj} in {recep}', 'clean some {obj} and put it in {recep}'],
  heat: ['put a hot {obj} in {recep}', 'heat some {obj} and put it in {recep}'],
  cool: ['put a cool {obj} in {recep}', 'cool some {obj} and put it in {recep}'],
  puttwo: ['put two {obj} in {recep}', 'find two {obj} and put them in {recep}'],
};

/** The goal sentence without the final period, e.g. `put a clean mug in coffeemachine`. */
export function goalText(task: Task): string {
  return TEMPLATES[task.type][task.template]
    .replace('{obj}', task.object)
    .replace('{recep}', task.target)
    .replace('{toggle}', task.target);
}

/** Parses a goal sentence back into a task (the expert reads the task this way, like a player). */
export function parseGoal(text: string): Task | null {
  for (const type of TASK_TYPES) {
    for (const template of [0, 1] as const) {
      const pattern = TEMPLATES[type][template]
        .replace('{obj}', '(\\w+)')
        .replace('{recep}', '(\\w+)')
        .replace('{toggle}', '(\\w+)');
      const match = new RegExp(`^${pattern}$`).exec(text);
      if (match) return { type, object: match[1] ?? '', target: match[2] ?? '', template };
    }
  }
  return null;
}

function typeOf(game: Game, name: string): string | undefined {
  return game.thingByName.get(name)?.type ?? game.receptacleByName.get(name)?.type;
}

/** The PDDL goal of §2.4, checked against the current state. */
export function isGoalMet(game: Game, state: GameState): boolean {
  const { type, object, target } = game.task;
  if (type === 'examine') {
    if (state.holding === null || typeOf(game, state.holding) !== object || state.at === null) return false;
    for (const lamp of state.on) {
      if (typeOf(game, lamp) === target && state.where.get(lamp) === state.at) return true;
    }
    return false;
  }
  const flag = type === 'clean' ? state.clean : type === 'heat' ? state.hot : type === 'cool' ? state.cool : null;
  const countPerReceptacle = new Map<string, number>();
  for (const [name, place] of state.where) {
    if (place === '' || typeOf(game, name) !== object || typeOf(game, place) !== target) continue;
    if (flag && !flag.has(name)) continue;
    const count = (countPerReceptacle.get(place) ?? 0) + 1;
    if (count >= (type === 'puttwo' ? 2 : 1)) return true;
    countPerReceptacle.set(place, count);
  }
  return false;
}

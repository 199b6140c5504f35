// The ALFWorld world: floorplans (static receptacles, a lamp) generated from a floorplan number and the
// world seed, and the mutable game state (where each object is, open doors, hot/cool/clean/on flags).
// Texts and rules live in texts.ts and rules.ts; task placement in generate.ts.
import { hashString, Rng } from '../../rng.ts';
import type { Task } from './tasks.ts';
import { LAMP_HOSTS, LAMP_TYPES, OPENABLE_CLASSES, OPENABLE_PROBABILITY, ROOM_RECEPTACLES, type RoomKind } from './tables.ts';

export interface Receptacle {
  /** `<type> <n>`, e.g. `cabinet 4`. */
  name: string;
  type: string;
  number: number;
  openable: boolean;
  loc: number;
}

export interface Floorplan {
  id: number;
  kind: RoomKind;
  /** In display order: type ascending, number descending. */
  receptacles: Receptacle[];
  /** The room's lamp (living rooms and bedrooms), standing on `host`. */
  lamp: { type: string; host: string } | null;
}

export interface Thing {
  name: string;
  type: string;
  number: number;
  portable: boolean;
}

/** Everything that changes during a game. Objects are never created or destroyed. */
export interface GameState {
  /** Object name → receptacle name, or '' while held. */
  where: Map<string, string>;
  open: Set<string>;
  hot: Set<string>;
  cool: Set<string>;
  clean: Set<string>;
  on: Set<string>;
  /** Receptacle name the agent stands at, or null in the middle of the room. */
  at: string | null;
  holding: string | null;
}

export function byDisplayOrder<T extends { type: string; number: number }>(a: T, b: T): number {
  return a.type < b.type ? -1 : a.type > b.type ? 1 : b.number - a.number;
}

export function makeName(type: string, number: number): string {
  return `${type} ${number}`;
}

const floorplanCache = new Map<string, Floorplan>();

/** The floorplan with ALFRED number `id` for one world seed: the same receptacles every time. */
export function floorplan(id: number, kind: RoomKind, worldSeed: number): Floorplan {
  const key = `${worldSeed}/${id}`;
  const cached = floorplanCache.get(key);
  if (cached) return cached;
  const rng = new Rng(hashString(`alfworld-floorplan/${worldSeed}/${id}`));
  const counts = new Map<string, number>();
  for (const [type, [low, high]] of Object.entries(ROOM_RECEPTACLES[kind])) {
    const count = low + rng.int(high - low + 1);
    if (count > 0) counts.set(type, count);
  }
  // ALFRED rooms have at least ten receptacles: fill small rooms with shelves and drawers.
  let total = [...counts.values()].reduce((a, b) => a + b, 0);
  while (total < 10) {
    const type = rng.pick(['shelf', 'drawer']);
    counts.set(type, (counts.get(type) ?? 0) + 1);
    total += 1;
  }
  let lamp: Floorplan['lamp'] = null;
  if (kind === 'livingroom' || kind === 'bedroom') {
    const hosts = LAMP_HOSTS.filter((type) => counts.has(type));
    const hostType = rng.pick(hosts.length > 0 ? hosts : ['sidetable']);
    if (!counts.has(hostType)) counts.set(hostType, 1);
    lamp = { type: rng.pick(LAMP_TYPES), host: makeName(hostType, 1 + rng.int(counts.get(hostType) ?? 1)) };
  }
  const receptacles: Receptacle[] = [];
  const locs = rng.shuffle(Array.from({ length: total + 8 }, (_, i) => i + 1));
  for (const [type, count] of counts) {
    for (let number = 1; number <= count; number++) {
      const openable = OPENABLE_CLASSES.has(type) && rng.next() < (OPENABLE_PROBABILITY[type] ?? 1);
      receptacles.push({ name: makeName(type, number), type, number, openable, loc: locs[receptacles.length] ?? 0 });
    }
  }
  receptacles.sort(byDisplayOrder);
  const plan: Floorplan = { id, kind, receptacles, lamp };
  floorplanCache.set(key, plan);
  return plan;
}

export function emptyState(): GameState {
  return { where: new Map(), open: new Set(), hot: new Set(), cool: new Set(), clean: new Set(), on: new Set(), at: null, holding: null };
}

export function cloneState(state: GameState): GameState {
  return {
    where: new Map(state.where),
    open: new Set(state.open),
    hot: new Set(state.hot),
    cool: new Set(state.cool),
    clean: new Set(state.clean),
    on: new Set(state.on),
    at: state.at,
    holding: state.holding,
  };
}

/** One game: a floorplan, its objects, the task and the starting state. Never mutated after generation. */
export interface Game {
  floorplan: Floorplan;
  /** Objects (portable ones and the lamp) in display order. */
  things: Thing[];
  thingByName: Map<string, Thing>;
  receptacleByName: Map<string, Receptacle>;
  task: Task;
  initial: GameState;
}

export function makeGame(plan: Floorplan, things: Thing[], task: Task, initial: GameState): Game {
  const sorted = things.slice().sort(byDisplayOrder);
  return {
    floorplan: plan,
    things: sorted,
    thingByName: new Map(sorted.map((t) => [t.name, t])),
    receptacleByName: new Map(plan.receptacles.map((r) => [r.name, r])),
    task,
    initial,
  };
}

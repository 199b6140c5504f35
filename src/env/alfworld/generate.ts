// Generates one ALFWorld game from (split, index, world seed): task type, floorplan, goal, and object
// placement by ALFRED-like priors. Lazy: one game at a time, never a whole split.
// It does not check solvability within ETO's 40 steps; games.ts filters with the expert.
import { hashString, Rng } from '../../rng.ts';
import { EnvError } from '../../errors.ts';
import { APPLIANCE, CLEANABLE, COOLABLE, FLOORPLANS, HEATABLE, OBJECT_HOMES, ROOM_OBJECTS, UNSEEN_FLOORPLANS, canContain, type RoomKind } from './tables.ts';
import type { Task, TaskType } from './tasks.ts';
import { emptyState, floorplan, makeGame, makeName, type Floorplan, type Game, type Thing } from './world.ts';

/** Task type mix of ETO's valid_unseen (put 24, examine 18, clean 31, heat 23, cool 21, puttwo 17). */
const TYPE_WEIGHTS: Record<TaskType, number> = { put: 24, examine: 18, clean: 31, heat: 23, cool: 21, puttwo: 17 };

export type FloorplanSet = 'seen' | 'unseen';

/** Floorplan numbers a split draws from: unseen ones only in `unseen`, never anywhere else. */
export function floorplansFor(set: FloorplanSet, kind: RoomKind): number[] {
  const unseen = UNSEEN_FLOORPLANS[kind];
  return set === 'unseen' ? [unseen] : FLOORPLANS[kind].filter((id) => id !== unseen);
}

function weighted<T extends string>(rng: Rng, weights: Record<T, number>): T {
  const entries = Object.entries(weights) as [T, number][];
  let r = rng.next() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [key, w] of entries) {
    r -= w;
    if (r < 0) return key;
  }
  return (entries[entries.length - 1] as [T, number])[0];
}

function kindFor(type: TaskType, rng: Rng): RoomKind {
  if (type === 'heat' || type === 'cool') return 'kitchen';
  if (type === 'clean') return rng.next() < 0.75 ? 'kitchen' : 'bathroom';
  if (type === 'examine') return rng.next() < 0.5 ? 'livingroom' : 'bedroom';
  return weighted(rng, { kitchen: 4, livingroom: 2, bedroom: 2, bathroom: 2 });
}

/** Picks a receptacle for an object of `type`: by prior rank most of the time, uniformly otherwise. */
function pickHost(rng: Rng, plan: Floorplan, type: string, exclude: string | null): string | null {
  const homes = OBJECT_HOMES[type] ?? [];
  const hosts = plan.receptacles.filter((r) => r.type !== exclude && canContain(r.type, type));
  if (hosts.length === 0) return null;
  if (rng.next() < 0.25) return rng.pick(hosts).name;
  const weights = hosts.map((r) => 1 / (1 + homes.indexOf(r.type)) ** 1.25);
  let x = rng.next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < hosts.length; i++) {
    x -= weights[i] ?? 0;
    if (x < 0) return (hosts[i] as (typeof hosts)[number]).name;
  }
  return (hosts[hosts.length - 1] as (typeof hosts)[number]).name;
}

function chooseTask(rng: Rng, type: TaskType, plan: Floorplan): Task | null {
  const present = new Set(plan.receptacles.map((r) => r.type));
  const capable = type === 'clean' ? CLEANABLE : type === 'heat' ? HEATABLE : type === 'cool' ? COOLABLE : null;
  const objects = ROOM_OBJECTS[plan.kind].filter((o) => !capable || capable.has(o));
  const pairs: [string, string][] = [];
  for (const object of objects) {
    const hostTypes = (OBJECT_HOMES[object] ?? []).filter((t) => present.has(t));
    if (type === 'examine') {
      if (plan.lamp && hostTypes.length > 0) pairs.push([object, plan.lamp.type]);
      continue;
    }
    for (const target of hostTypes) {
      // The object must be able to start somewhere else, and the appliance is not the target.
      if (target !== APPLIANCE[type] && hostTypes.some((t) => t !== target)) pairs.push([object, target]);
    }
  }
  if (pairs.length === 0) return null;
  const [object, target] = rng.pick(pairs);
  return { type, object, target, template: rng.int(2) as 0 | 1 };
}

export interface GameRequest {
  split: string;
  index: number;
  set: FloorplanSet;
  worldSeed: number;
  /** Retry number, when an earlier draw was rejected as too long for the expert. */
  attempt: number;
}

export function generateGame(request: GameRequest): Game {
  const rng = new Rng(hashString(`alfworld-game/${request.worldSeed}/${request.split}/${request.index}/${request.attempt}`));
  for (let tries = 0; tries < 50; tries++) {
    const type = weighted(rng, TYPE_WEIGHTS);
    const kind = kindFor(type, rng);
    const plan = floorplan(rng.pick(floorplansFor(request.set, kind)), kind, request.worldSeed);
    const task = chooseTask(rng, type, plan);
    if (task) return placeObjects(rng, plan, task);
  }
  throw new EnvError(`alfworld: could not generate ${request.split}/${request.index}`);
}

function placeObjects(rng: Rng, plan: Floorplan, task: Task): Game {
  const state = emptyState();
  const placed: { type: string; host: string }[] = [];
  const goalCount = task.type === 'puttwo' ? 2 + rng.int(2) : 1 + rng.int(3);
  const goalExclude = task.type === 'examine' ? null : task.target;
  for (let i = 0; i < goalCount; i++) {
    const host = pickHost(rng, plan, task.object, goalExclude);
    if (host) placed.push({ type: task.object, host });
  }
  const total = (plan.kind === 'kitchen' ? 30 : 20) + rng.int(plan.kind === 'kitchen' ? 31 : 21);
  const others = ROOM_OBJECTS[plan.kind].filter((o) => o !== task.object);
  while (placed.length < total) {
    const type = rng.pick(others);
    const host = pickHost(rng, plan, type, null);
    if (host) placed.push({ type, host });
  }
  // Numbers go to instances in a shuffled order, so number 1 is not always the first placed.
  const things: Thing[] = [];
  const byType = new Map<string, string[]>();
  for (const { type, host } of placed) byType.set(type, [...(byType.get(type) ?? []), host]);
  for (const [type, hosts] of byType) {
    rng.shuffle(hosts).forEach((host, i) => {
      const thing = { name: makeName(type, i + 1), type, number: i + 1, portable: true };
      things.push(thing);
      state.where.set(thing.name, host);
    });
  }
  if (plan.lamp) {
    const lamp = { name: makeName(plan.lamp.type, 1), type: plan.lamp.type, number: 1, portable: false };
    things.push(lamp);
    state.where.set(lamp.name, plan.lamp.host);
  }
  return makeGame(plan, things, task, state);
}

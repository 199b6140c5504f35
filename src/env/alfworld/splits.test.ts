import { describe, expect, it } from 'vitest';
import { floorplansFor } from './generate.ts';
import { alfworld, AlfWorldEnv } from './index.ts';
import { ROOM_KINDS } from './tables.ts';
import { floorplan } from './world.ts';

const floorplanOf = (split: string, task: number, env = alfworld.create()): number => env.reset({ split, task }).info.floorplan as number;

describe('alfworld splits', () => {
  it('unseen uses only ETO\'s four unseen floorplans, which train never draws from', () => {
    const unseen = ROOM_KINDS.flatMap((kind) => floorplansFor('unseen', kind));
    expect(unseen.sort((a, b) => a - b)).toEqual([10, 219, 308, 424]);
    for (const kind of ROOM_KINDS) {
      for (const id of floorplansFor('seen', kind)) expect(unseen).not.toContain(id);
    }
  });

  it('no train task is on an unseen floorplan, and every unseen task is', () => {
    const env = alfworld.create() as AlfWorldEnv;
    const unseen = new Set([10, 219, 308, 424]);
    const trainPlans = new Set<number>();
    for (let task = 0; task < 3321; task += 5) trainPlans.add(floorplanOf('train', task, env));
    for (const id of unseen) expect(trainPlans.has(id)).toBe(false);
    expect(trainPlans.size).toBeGreaterThan(80);
    for (let task = 0; task < 134; task++) expect(unseen.has(floorplanOf('unseen', task, env))).toBe(true);
  });

  it('unseen rooms have layouts different from every train room', () => {
    const layout = (id: number, kind: (typeof ROOM_KINDS)[number]): string =>
      floorplan(id, kind, 0).receptacles.map((r) => `${r.name}${r.openable ? '*' : ''}`).join(',');
    for (const kind of ROOM_KINDS) {
      const train = new Set(floorplansFor('seen', kind).map((id) => layout(id, kind)));
      expect(train.has(layout(floorplansFor('unseen', kind)[0] as number, kind))).toBe(false);
    }
  });

  it('rooms have 10-35 receptacles and 20-60 objects, numbered per type from 1', () => {
    const env = alfworld.create() as AlfWorldEnv;
    for (let task = 0; task < 200; task++) {
      const observation = env.reset({ split: 'train', task }).observation;
      const room = /you see (.*)\.\n/.exec(observation)?.[1] ?? '';
      const count = room.split(', ').length;
      expect(count).toBeGreaterThanOrEqual(10);
      expect(count).toBeLessThanOrEqual(35);
      const objects = new Map<string, number[]>();
      for (const [name, place] of env.snapshot().where) {
        expect(place).not.toBe('');
        const [type, n] = name.split(' ') as [string, string];
        objects.set(type, [...(objects.get(type) ?? []), Number(n)]);
      }
      const total = [...objects.values()].reduce((sum, ns) => sum + ns.length, 0);
      expect(total).toBeGreaterThanOrEqual(20);
      expect(total).toBeLessThanOrEqual(62); // up to 60 plus the lamp
      for (const numbers of objects.values()) expect(numbers.sort((a, b) => a - b)).toEqual(numbers.map((_, i) => i + 1));
    }
  });

  it('dev and seen share floorplans but not tasks', () => {
    const env = alfworld.create() as AlfWorldEnv;
    const game = (split: string, task: number): string => {
      const reset = env.reset({ split, task });
      return `${reset.observation}|${[...env.snapshot().where].sort().join(';')}`;
    };
    const seen = new Set(Array.from({ length: 140 }, (_, i) => game('seen', i)));
    for (let task = 0; task < 140; task++) expect(seen.has(game('dev', task))).toBe(false);
  });

  it('covers all six task types in every split', () => {
    const env = alfworld.create() as AlfWorldEnv;
    for (const split of ['train', 'dev', 'seen', 'unseen']) {
      const types = new Set(Array.from({ length: 120 }, (_, i) => env.reset({ split, task: i }).info.taskType));
      expect(types.size, split).toBe(6);
    }
  });
});

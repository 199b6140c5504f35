import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.ts';
import { makeSubstance } from './materials.ts';
import { tick } from './physics.ts';
import { makePlant, flowerPot } from './tasks/find.ts';
import type { Thing } from './things.ts';
import { descendants, putInside } from './things.ts';
import { buildWorld, makers, room } from './world.ts';

const find = (root: Thing, name: string): Thing => descendants(root).find((t) => t.name === name) as Thing;

describe('sciworld physics', () => {
  it('boils water in a metal pot on an activated stove after the expected ticks, renaming it steam', () => {
    const world = buildWorld(new Rng(1));
    const kitchen = room(world, 'kitchen');
    const stove = find(kitchen, 'stove');
    const pot = find(kitchen, 'metal pot');
    const water = makeSubstance(world.factory, 'water', 25);
    putInside(water, pot);
    putInside(pot, stove);
    stove.active = true;
    // Reference: the stove pulls the pot 10 % toward 260 °C; pot and water (conductivity 1) exchange 10 % of their gap.
    let p = 25;
    let w = 25;
    let expected = 0;
    while (w <= 100) {
      p += 0.1 * (260 - p);
      const d = 0.1 * (p - w);
      w += d;
      p -= d;
      expected += 1;
    }
    let ticks = 0;
    while (water.name === 'water' && ticks < 200) {
      tick(world);
      ticks += 1;
    }
    expect(ticks).toBe(expected);
    expect(water.name).toBe('steam');
    expect(water.matter?.state).toBe('gas');
    expect(expected).toBeGreaterThan(5);
  });

  it('melts ice at room temperature in 7 ticks (T += 0.05·(25 − T) from −10 °C)', () => {
    const world = buildWorld(new Rng(2));
    const ice = makeSubstance(world.factory, 'water', -10);
    expect(ice.name).toBe('ice');
    putInside(ice, room(world, 'hallway'));
    for (let i = 0; i < 6; i++) tick(world);
    expect(ice.name).toBe('ice');
    tick(world);
    expect(ice.name).toBe('water');
    expect(ice.matter?.state).toBe('liquid');
  });

  it('freezes water in the freezer', () => {
    const world = buildWorld(new Rng(3));
    const kitchen = room(world, 'kitchen');
    const cup = find(kitchen, 'tin cup');
    const water = makeSubstance(world.factory, 'water', 25);
    putInside(water, cup);
    putInside(cup, find(kitchen, 'freezer'));
    let ticks = 0;
    while (water.name !== 'ice' && ticks < 200) {
      tick(world);
      ticks += 1;
    }
    expect(water.name).toBe('ice');
    expect(ticks).toBeGreaterThan(3);
    expect(ticks).toBeLessThan(60);
  });

  it('fills open containers in a running sink', () => {
    const world = buildWorld(new Rng(4));
    const bathroom = room(world, 'bathroom');
    const sink = find(bathroom, 'sink');
    const cup = find(bathroom, 'glass cup');
    putInside(cup, sink);
    tick(world);
    expect(cup.contents).toHaveLength(0);
    sink.active = true;
    tick(world);
    tick(world);
    expect(cup.contents.map((t) => t.name)).toEqual(['water']);
  });

  it('grows a seed with water and soil to reproducing on schedule (10, 10, 5 ticks)', () => {
    const world = buildWorld(new Rng(5));
    const seed = makePlant(world, 'apple', 'seed');
    putInside(flowerPot(world, 1, [seed]), room(world, 'greenhouse'));
    const stages: string[] = [];
    for (let i = 1; i <= 25; i++) {
      tick(world);
      if ([9, 10, 19, 20, 24, 25].includes(i)) stages.push(`${i}:${seed.life?.stage}`);
    }
    expect(stages).toEqual(['9:seed', '10:seedling', '19:seedling', '20:adult', '24:adult', '25:reproducing']);
    expect(seed.name).toBe('apple plant');
  });

  it('does not grow a seed without soil', () => {
    const world = buildWorld(new Rng(6));
    const seed = makePlant(world, 'apple', 'seed');
    const m = makers(world.factory);
    putInside(m.cup('jar', [seed, m.substance('water')], 'jar'), room(world, 'greenhouse'));
    for (let i = 0; i < 30; i++) tick(world);
    expect(seed.life?.stage).toBe('seed');
  });
});

describe('sciworld fire', () => {
  it('lights wood in the fire pit with the lighter, heats what is in the pit, and burns out after 30 ticks', async () => {
    const { loadTask } = await import('./test-helpers.ts');
    const env = loadTask('boil', 0);
    env.step('teleport to kitchen');
    env.step('pick up lighter');
    env.step('pick up metal pot');
    env.step('teleport to outside');
    expect(env.step('move wood to fire pit').observation).toBe('You move the wood to the fire pit.');
    expect(env.step('use lighter on wood').observation).toBe('The wood is now on fire.');
    expect(env.step('look at fire pit').observation).toBe('a fire pit. In the fire pit is: a wood (on fire).');
    expect(env.step('use lighter on picture in inventory').observation).toBe('No known action matches that input.');
    expect(env.step('use lighter on axe').observation).toBe('The axe does not catch fire.');
    const pot = env.world.inventory.contents.find((t) => t.name === 'metal pot') as Thing;
    env.step('move metal pot to fire pit');
    expect(pot.temperature).toBeGreaterThan(25);
    for (let i = 0; i < 3; i++) env.step('wait');
    expect(env.step('look at fire pit').observation).toBe('a fire pit. In the fire pit is: a burned wood, a metal pot (containing nothing).');
  });
});

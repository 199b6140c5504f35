// One simulation tick of the ScienceWorld port: heat exchange down the object tree (active heaters and
// coolers pull their direct contents 10 % of the gap toward their set point; touching things exchange
// 0.1·ΔT·min(conductivity); rooms are reservoirs at the ambient temperature), states of matter with
// renaming, running sinks filling open containers, plant life stages and bee pollination, and circuits when electrical
// actions are on. No combustion.
import { updateCircuits } from './electricity.ts';
import { AMBIENT_TEMPERATURE, makeSubstance } from './materials.ts';
import type { Thing } from './things.ts';
import { descendants, putInside, setState, stateFor } from './things.ts';
import type { World } from './world.ts';

/** Ticks a plant spends in each stage before the next, with water and soil in its pot. */
export const STAGE_TICKS = { seed: 10, seedling: 10, adult: 5 } as const;

export function tick(world: World): void {
  for (const location of world.rooms.values()) exchangeHeat(location);
  for (const location of world.rooms.values()) visit(location, world);
  for (const location of world.rooms.values()) pollinate(location, world);
  if (world.electrical) updateCircuits(world);
}

function takesPart(thing: Thing): boolean {
  return thing.kind !== 'agent' && thing.kind !== 'door' && thing.kind !== 'room' && thing.matter?.names.gas !== 'air';
}

function exchangeHeat(container: Thing): void {
  const pulls = container.active === true && container.setTemperature !== undefined;
  // Rooms, the inventory and inactive devices hold their contents toward the ambient temperature.
  const reservoir = container.kind === 'room' || container.kind === 'inventory' || container.kind === 'agent' || container.activatable === true;
  for (const item of container.contents) {
    if (!takesPart(item)) {
      exchangeHeat(item);
      continue;
    }
    if (pulls) {
      item.temperature += 0.1 * ((container.setTemperature as number) - item.temperature);
    } else if (reservoir) {
      item.temperature += 0.1 * Math.min(0.5, item.conductivity) * (AMBIENT_TEMPERATURE - item.temperature);
    } else {
      const delta = 0.1 * (container.temperature - item.temperature) * Math.min(container.conductivity, item.conductivity);
      item.temperature += delta;
      container.temperature -= delta;
    }
    exchangeHeat(item);
  }
}

function visit(container: Thing, world: World): void {
  if (container.kind === 'sink' && container.active) fillFromTap(container, world);
  for (const item of [...container.contents]) {
    if (item.matter) {
      const state = stateFor(item.matter, item.temperature);
      if (state !== item.matter.state) setState(item, state);
    }
    if (item.aliases.includes('flower pot')) waterItself(item, world);
    if (item.burning) burn(item, container);
    if (item.kind === 'plant') growPlant(item);
    if (item.life?.cycle) ageAnimal(item);
    visit(item, world);
  }
  if (container.kind === 'cup') mergeWater(container);
}

/** A running tap puts water into the sink and into every open container standing in it. */
function fillFromTap(sink: Thing, world: World): void {
  const targets = [sink, ...sink.contents.filter((t) => t.container && t.open !== false)];
  for (const target of targets) {
    const hasWater = target.contents.some((t) => t.matter?.names.liquid === 'water' && t.matter.state === 'liquid');
    if (!hasWater) putInside(makeSubstance(world.factory, 'water', 10), target);
  }
}

/** Two waters in one cup become one (the tap never stacks water on water). */
function mergeWater(cup: Thing): void {
  const waters = cup.contents.filter((t) => t.name === 'water');
  for (const extra of waters.slice(1)) cup.contents.splice(cup.contents.indexOf(extra), 1);
}

/** A burning thing stays hot, keeps a fire pit lit while it burns, and ends up `burned X`. */
function burn(item: Thing, container: Thing): void {
  item.burning = (item.burning ?? 0) - 1;
  item.temperature = Math.max(item.temperature, 600);
  if (container.kind === 'firepit') {
    container.active = item.burning > 0;
    container.setTemperature = 600;
  }
  if (item.burning <= 0) {
    delete item.burning;
    item.burned = true;
    item.name = `burned ${item.name}`;
  }
}

/** Ticks a reproducing plant needs with bees and a partner of its species before it bears fruit. */
export const POLLINATION_TICKS = 10;

/** Bees in a room cross-pollinate reproducing plants of one species; each then grows one fruit in its pot. */
function pollinate(location: Thing, world: World): void {
  const inside = descendants(location);
  if (!inside.some((t) => t.kind === 'animal' && t.life?.species === 'bee')) return;
  const plants = inside.filter((t) => t.kind === 'plant' && t.life?.stage === 'reproducing');
  for (const plant of plants) {
    const life = plant.life as NonNullable<Thing['life']>;
    if (life.fruited || !plants.some((other) => other !== plant && other.life?.species === life.species)) continue;
    life.pollination = (life.pollination ?? 0) + 1;
    if (life.pollination < POLLINATION_TICKS || !plant.parent) continue;
    life.fruited = true;
    putInside(world.factory.make('plain', life.species, { edible: true }), plant.parent);
  }
}

/** Animals with a life cycle move to their next stage after a fixed number of ticks. */
function ageAnimal(animal: Thing): void {
  const life = animal.life;
  const cycle = life?.cycle;
  if (!life || !cycle) return;
  const index = cycle.stages.indexOf(life.stage);
  if (index < 0 || index >= cycle.stages.length - 1) return;
  life.ticksInStage += 1;
  if (life.ticksInStage < cycle.ticks) return;
  life.ticksInStage = 0;
  life.stage = cycle.stages[index + 1] as string;
}

/** The easy setting's self-watering flower pots: a pot without water gets some. */
function waterItself(pot: Thing, world: World): void {
  if (!pot.contents.some((t) => t.name === 'water')) putInside(makeSubstance(world.factory, 'water'), pot);
}

/** Seed → seedling → adult → reproducing, while the pot holds water and soil (easy: pots refill water). */
function growPlant(plant: Thing): void {
  const life = plant.life;
  const pot = plant.parent;
  if (!life || !pot || life.stage === 'dead' || life.stage === 'reproducing') return;
  const hasWater = pot.contents.some((t) => t.name === 'water');
  const hasSoil = pot.contents.some((t) => t.name === 'soil');
  if (!hasWater || !hasSoil) return;
  life.ticksInStage += 1;
  const needed = STAGE_TICKS[life.stage as keyof typeof STAGE_TICKS];
  if (life.ticksInStage < needed) return;
  life.ticksInStage = 0;
  life.stage = life.stage === 'seed' ? 'seedling' : life.stage === 'seedling' ? 'adult' : 'reproducing';
  plant.name = `${life.species} plant`;
}

// The object model of the ScienceWorld port: every room, door, device, container, substance and
// living thing is one `Thing` in a tree (room → contents → contents). No behaviour lives here
// beyond tree edits and lookups; physics, texts and actions are separate files.

export type ThingKind =
  | 'room' | 'door' | 'agent' | 'inventory' | 'substance' | 'cup' | 'surface' | 'cupboard'
  | 'fridge' | 'oven' | 'stove' | 'sink' | 'plain' | 'thermometer' | 'plant' | 'animal'
  | 'firepit' | 'toilet' | 'terminal';

export type MatterState = 'solid' | 'liquid' | 'gas';

/** Temperature behaviour of a substance: names per state of matter and the transition points (°C). */
export interface Matter {
  state: MatterState;
  meltingPoint: number;
  boilingPoint: number;
  names: Record<MatterState, string>;
}

export type LifeStage = 'seed' | 'seedling' | 'adult' | 'reproducing' | 'dead';

export interface Life {
  /** Plant or animal type, e.g. `apple` (plants are named `apple seed` / `apple plant`). */
  species: string;
  /** Plants use LifeStage; animals with a life cycle use the names in `cycle`. */
  stage: string;
  ticksInStage: number;
  /** Reproducing plants: ticks spent with a pollinator and a partner plant, and whether fruit grew. */
  pollination?: number;
  fruited?: boolean;
  /** Animals that age: their stages in order and the ticks each lasts (the last stage is final). */
  cycle?: { stages: string[]; ticks: number };
  /** Animals only: life span in years (used by the lifespan tasks). */
  lifespan?: number;
}

export interface Thing {
  readonly id: number;
  name: string;
  kind: ThingKind;
  parent: Thing | null;
  contents: Thing[];
  /** Class words that also refer to it (`cup`, `substance`, `container`, `box` …). */
  aliases: string[];
  movable: boolean;
  /** Containers hold things; `open` is undefined for containers that are always open. */
  container: boolean;
  open?: boolean;
  temperature: number;
  /** 0–1: how quickly it exchanges heat with what touches it. */
  conductivity: number;
  matter?: Matter;
  /** Devices: whether it can be switched and whether it is on. */
  activatable?: boolean;
  active?: boolean;
  /** Heaters and coolers: the temperature an active device pulls its contents toward. */
  setTemperature?: number;
  life?: Life;
  /** Doors: the two rooms they join. */
  joins?: [Thing, Thing];
  /** Electrical conductor (conductivity tasks) — true, false or undefined when not relevant. */
  conductive?: boolean;
  /** Circuit role: a power source (anode/cathode), a load that turns on when powered, or a wire. */
  electrical?: 'battery' | 'load' | 'wire';
  /** Readable text, e.g. a book. */
  text?: string;
  edible?: boolean;
  /** Combustion: can it burn, ticks of fire left while burning, and whether it has burned out. */
  combustible?: boolean;
  burning?: number;
  burned?: boolean;
}

/** Owns the id counter so that ids are stable for a given build order (determinism). */
export class ThingFactory {
  private nextId = 1;

  make(kind: ThingKind, name: string, fields: Partial<Omit<Thing, 'id' | 'kind' | 'name'>> = {}): Thing {
    return {
      id: this.nextId++,
      name,
      kind,
      parent: null,
      contents: [],
      aliases: [],
      movable: true,
      container: false,
      temperature: 25,
      conductivity: 0.5,
      ...fields,
    };
  }
}

export function putInside(item: Thing, container: Thing): void {
  detach(item);
  item.parent = container;
  container.contents.push(item);
}

export function detach(item: Thing): void {
  const parent = item.parent;
  if (parent) {
    const index = parent.contents.indexOf(item);
    if (index >= 0) parent.contents.splice(index, 1);
  }
  item.parent = null;
}

/** The room (or outside) a thing is in, walking up its containers. */
export function roomOf(thing: Thing): Thing | null {
  let current: Thing | null = thing;
  while (current && current.kind !== 'room') current = current.parent;
  return current;
}

/** Every thing below `root` (depth first, insertion order). `throughClosed` false stops at closed containers. */
export function descendants(root: Thing, throughClosed = true): Thing[] {
  const out: Thing[] = [];
  const visit = (thing: Thing): void => {
    for (const child of thing.contents) {
      out.push(child);
      if (throughClosed || child.open !== false) visit(child);
    }
  };
  visit(root);
  return out;
}

export function isInside(thing: Thing, container: Thing): boolean {
  for (let current = thing.parent; current; current = current.parent) if (current === container) return true;
  return false;
}

export function isLiquid(thing: Thing): boolean {
  return thing.kind === 'substance' && thing.matter?.state === 'liquid';
}

/** Renames a substance after its state of matter changed (water ↔ ice ↔ steam). */
export function setState(thing: Thing, state: MatterState): void {
  if (!thing.matter) return;
  thing.matter.state = state;
  thing.name = thing.matter.names[state];
}

export function stateFor(matter: Matter, temperature: number): MatterState {
  if (temperature < matter.meltingPoint) return 'solid';
  if (temperature > matter.boilingPoint) return 'gas';
  return 'liquid';
}

/** Sort key for listings: by name, ties in insertion order (Array.prototype.sort is stable). */
export function byName(a: Thing, b: Thing): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

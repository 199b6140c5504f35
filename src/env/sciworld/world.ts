// Builds the ScienceWorld house: ten locations, their doors and fixed contents, air in every room,
// as ETO ran it (`easy`: doors open, teleport, self-watering pots, every container open at start).
// Task-specific objects are added afterwards by the task families; this file knows no task.
import type { Rng } from '../../rng.ts';
import { AMBIENT_TEMPERATURE, makeSubstance } from './materials.ts';
import type { Thing, ThingKind } from './things.ts';
import { ThingFactory, descendants, putInside } from './things.ts';

export const ROOM_NAMES = [
  'kitchen', 'bathroom', 'bedroom', 'living room', 'workshop',
  'greenhouse', 'art studio', 'hallway', 'outside', 'foundry',
] as const;

const DOORS: [string, string][] = [
  ['hallway', 'kitchen'], ['hallway', 'living room'], ['hallway', 'bedroom'], ['hallway', 'workshop'],
  ['hallway', 'greenhouse'], ['hallway', 'art studio'], ['kitchen', 'bathroom'], ['kitchen', 'outside'],
  ['greenhouse', 'outside'], ['foundry', 'outside'],
];

export interface World {
  factory: ThingFactory;
  rooms: Map<string, Thing>;
  doors: Thing[];
  agent: Thing;
  inventory: Thing;
  /** Electrical actions are on (conductivity tasks only, as the original's easy setting). */
  electrical: boolean;
  /** Lazily made terminals per thing id, and the terminal-to-terminal connections. */
  terminals: Map<number, Thing[]>;
  links: Map<number, Set<Thing>>;
}

export function room(world: World, name: string): Thing {
  const found = world.rooms.get(name);
  if (!found) throw new Error(`no room "${name}"`);
  return found;
}

/** The doors of a room, in build order. */
export function doorsOf(world: World, location: Thing): Thing[] {
  return world.doors.filter((door) => door.joins?.includes(location));
}

export function otherSide(door: Thing, from: Thing): Thing {
  const [a, b] = door.joins as [Thing, Thing];
  return a === from ? b : a;
}

export function allThings(world: World): Thing[] {
  return [...world.rooms.values()].flatMap((location) => descendants(location));
}

/** Small helpers so the room lists below read like the original's inventory of the house. */
export function makers(factory: ThingFactory) {
  const thing = (kind: ThingKind, name: string, fields: Partial<Thing> = {}): Thing =>
    factory.make(kind, name, fields);
  const fixed = (name: string, fields: Partial<Thing> = {}): Thing => thing('plain', name, { movable: false, ...fields });
  const item = (name: string, fields: Partial<Thing> = {}): Thing => thing('plain', name, fields);
  const surface = (name: string, items: Thing[] = []): Thing =>
    fill(thing('surface', name, { movable: false, container: true, aliases: ['container'] }), items);
  const cupboard = (name: string, items: Thing[] = []): Thing =>
    fill(thing('cupboard', name, { movable: false, container: true, open: true, aliases: ['container'] }), items);
  const cup = (name: string, items: Thing[] = [], alias = 'cup', conductivity = 0.5): Thing =>
    fill(thing('cup', name, { container: true, conductivity, aliases: [alias, 'container'] }), items);
  const substance = (base: string, temperature = AMBIENT_TEMPERATURE): Thing => makeSubstance(factory, base, temperature);
  return { thing, fixed, item, surface, cupboard, cup, substance };
}

function fill(container: Thing, items: Thing[]): Thing {
  for (const item of items) putInside(item, container);
  return container;
}

/** Sets a thing and everything inside it to one temperature, re-deriving states of matter. */
export function chill(thing: Thing, temperature: number): void {
  for (const t of [thing, ...descendants(thing)]) {
    if (t.matter?.names.gas === 'air') continue;
    t.temperature = temperature;
  }
}

export function buildWorld(rng: Rng): World {
  const factory = new ThingFactory();
  const m = makers(factory);
  const rooms = new Map<string, Thing>();
  for (const name of ROOM_NAMES) {
    const location = factory.make('room', name, { movable: false, container: true });
    putInside(m.substance('air'), location);
    rooms.set(name, location);
  }
  const at = (name: string, ...items: Thing[]): void => {
    for (const item of items) putInside(item, rooms.get(name) as Thing);
  };
  const cooler = (name: string, temperature: number, active: boolean, items: Thing[] = []): Thing => {
    const device = fill(m.thing('fridge', name, {
      movable: false, container: true, open: true, activatable: true, active, setTemperature: temperature,
      aliases: ['container'],
    }), items);
    if (active) for (const item of items) chill(item, temperature);
    return device;
  };
  const heater = (kind: ThingKind, name: string, temperature: number): Thing =>
    m.thing(kind, name, {
      movable: false, container: true, activatable: true, active: false, setTemperature: temperature,
      aliases: ['container'], ...(kind === 'oven' ? { open: true } : {}),
    });
  const sink = (): Thing => m.thing('sink', 'sink', {
    movable: false, container: true, activatable: true, active: false, aliases: ['container'],
  });

  at('kitchen',
    sink(), heater('stove', 'stove', 260), heater('oven', 'oven', 540),
    cooler('fridge', 2, true, [m.cup('wood cup', [m.substance('orange juice')])]),
    cooler('freezer', -18, true),
    m.cupboard('cupboard', [m.cup('metal pot', [], 'pot', 1), m.cup('tin cup', [], 'cup', 0.9), m.cup('ceramic cup', [], 'cup', 0.3)]),
    m.surface('counter', [m.cup('bowl', ['apple', 'banana', 'orange', 'potato'].map((food) => m.item(food, { edible: true })), 'bowl')]),
    m.thing('thermometer', 'thermometer'), m.fixed('picture'), m.surface('table', [m.cup('glass cup')]),
    m.fixed('chair'), m.item('lighter'), m.cup('glass jar', [m.substance('sodium chloride')], 'jar'),
    m.substance('soap'), m.item('stopwatch'));
  at('bathroom', sink(), m.thing('toilet', 'toilet', { movable: false, container: true, aliases: ['container'] }),
    m.cup('bathtub', [], 'tub'), m.cup('glass cup'), m.fixed('picture'));
  const bed = m.surface('bed', [m.surface('mattress', [m.item('white pillow')])]);
  at('bedroom', bed, m.surface('table'), m.cupboard('closet'), m.fixed('picture'));
  at('living room', m.surface('couch'), m.fixed('chair'), m.surface(rng.next() < 0.5 ? 'table' : 'desk'), m.fixed('picture'));
  if (rng.next() < 0.5) at('bedroom', m.surface('book shelf', [m.item('book', { text: 'The book is titled "Science".' })]));
  if (rng.next() < 0.5) at('living room', m.surface('book shelf'));
  at('workshop',
    m.surface('table', [
      m.item('red light bulb', { electrical: 'load', active: false, conductive: true, aliases: ['light bulb'] }),
      m.item('green light bulb', { electrical: 'load', active: false, conductive: true, aliases: ['light bulb'] }),
      m.item('blue light bulb', { electrical: 'load', active: false, conductive: true, aliases: ['light bulb'] }),
      m.item('red wire', { conductive: true, electrical: 'wire', aliases: ['wire'] }),
      m.item('black wire', { conductive: true, electrical: 'wire', aliases: ['wire'] }),
      m.item('orange wire', { conductive: true, electrical: 'wire', aliases: ['wire'] }),
      m.item('switch'), m.item('battery', { electrical: 'battery' }),
    ]),
    cooler('ultra low temperature freezer', -86, false));
  const hive = m.cup('bee hive', [], 'hive');
  for (let i = 0; i < 5; i++) putInside(animal(factory, 'bee'), hive);
  at('greenhouse', m.cup('jug'), hive, m.thing('sink', 'sink', { movable: false, container: true, activatable: true, active: false, aliases: ['container'] }));
  at(rng.next() < 0.5 ? 'greenhouse' : 'outside', m.item('shovel'));
  at('art studio',
    m.surface('table', [m.cup('glass cup')]),
    m.cup('wood cup', [m.substance('yellow paint')], 'cup', 0.2), m.cup('wood cup', [m.substance('blue paint')], 'cup', 0.2),
    m.cup('wood cup', [m.substance('red paint')], 'cup', 0.2),
    m.cupboard('large cupboard', [
      m.cupboard('drawer'),
      m.cup('wood cup', [m.substance('yellow paint')], 'cup', 0.2), m.cup('wood cup', [m.substance('blue paint')], 'cup', 0.2),
      m.cup('wood cup', [m.substance('red paint')], 'cup', 0.2),
    ]));
  at('outside', m.thing('firepit', 'fire pit', { movable: false, container: true, aliases: ['container'] }),
    m.item('wood', { combustible: true }), m.item('axe'), m.cup('fountain', [m.substance('water')], 'fountain'));
  at('foundry', heater('oven', 'blast furnace', 3000), sink(), m.surface('steel table'));
  at('hallway', m.fixed('picture'));

  const doors = DOORS.map(([a, b]) =>
    factory.make('door', 'door', { movable: false, open: true, joins: [rooms.get(a) as Thing, rooms.get(b) as Thing] }));
  const agent = factory.make('agent', 'agent', { movable: false, container: true });
  const inventory = factory.make('inventory', 'inventory', { movable: false, container: true });
  putInside(inventory, agent);
  putInside(agent, rooms.get(rng.pick(ROOM_NAMES)) as Thing);
  return { factory, rooms, doors, agent, inventory, electrical: false, terminals: new Map(), links: new Map() };
}

export function animal(factory: ThingFactory, species: string, lifespan?: number): Thing {
  return factory.make('animal', species, {
    life: { species, stage: 'adult', ticksInStage: 0, ...(lifespan === undefined ? {} : { lifespan }) },
    aliases: ['animal', 'living thing'],
  });
}

// Electrical circuits of the ScienceWorld port (on only for the conductivity tasks): every object gets
// two terminals (`anode`/`cathode` for batteries and loads, `terminal 1`/`terminal 2` otherwise), the
// agent connects terminals, and each tick a load turns on when a path runs from the battery's anode
// through conductive objects to one of its terminals and from the other back to the cathode.
import type { Thing } from './things.ts';
import { roomOf } from './things.ts';
import type { World } from './world.ts';
import { allThings } from './world.ts';

const POLARIZED = new Set(['battery', 'load']);

/** Whether a thing can carry terminals (not rooms, doors, the agent, the inventory, or air). */
export function hasTerminals(thing: Thing): boolean {
  return !['room', 'door', 'agent', 'inventory', 'terminal'].includes(thing.kind) && thing.name !== 'air';
}

export function terminalsOf(world: World, thing: Thing): Thing[] {
  const known = world.terminals.get(thing.id);
  if (known) return known;
  const names = POLARIZED.has(thing.electrical ?? '') ? ['anode', 'cathode'] : ['terminal 1', 'terminal 2'];
  const made = names.map((name) => world.factory.make('terminal', name, { movable: false, parent: thing }));
  world.terminals.set(thing.id, made);
  return made;
}

function linksOf(world: World, terminal: Thing): Set<Thing> {
  let set = world.links.get(terminal.id);
  if (!set) {
    set = new Set();
    world.links.set(terminal.id, set);
  }
  return set;
}

/** A terminal, or the first free terminal of an object (connecting whole objects picks one for you). */
function asTerminal(world: World, thing: Thing): Thing | null {
  if (thing.kind === 'terminal') return thing;
  if (!hasTerminals(thing)) return null;
  const terminals = terminalsOf(world, thing);
  return terminals.find((t) => linksOf(world, t).size === 0) ?? terminals[0] ?? null;
}

const label = (terminal: Thing): string => `${terminal.name} on ${terminal.parent?.name ?? ''}`;

export function connect(world: World, a: Thing, b: Thing): string {
  const from = asTerminal(world, a);
  const to = asTerminal(world, b);
  if (!from || !to) return `It's not clear how to connect those.`;
  if (from.parent === to.parent) return `You can't connect the ${from.parent?.name} to itself.`;
  linksOf(world, from).add(to);
  linksOf(world, to).add(from);
  return `${label(from)} is now connected to ${label(to)}`;
}

export function disconnect(world: World, thing: Thing): string {
  const terminals = thing.kind === 'terminal' ? [thing] : hasTerminals(thing) ? terminalsOf(world, thing) : [];
  let removed = 0;
  for (const terminal of terminals) {
    for (const other of linksOf(world, terminal)) {
      linksOf(world, other).delete(terminal);
      removed += 1;
    }
    linksOf(world, terminal).clear();
  }
  const name = thing.kind === 'terminal' ? label(thing) : thing.name;
  return removed === 0 ? `The ${name} is not connected to anything.` : `The ${name} is now disconnected.`;
}

/** `its anode is connected to: battery cathode.` lines for an object that has any connection. */
export function connectionText(world: World, thing: Thing): string {
  const terminals = world.terminals.get(thing.id);
  if (!terminals || terminals.every((t) => linksOf(world, t).size === 0)) return '';
  return terminals.map((t) => {
    const others = [...linksOf(world, t)].map((o) => `${o.parent?.name} ${o.name}`);
    return ` its ${t.name} is connected to: ${others.length === 0 ? 'nothing' : others.join(', ')}.`;
  }).join('');
}

/** Terminals reachable from `start` through connections and conductive objects, never crossing `skip`. */
function reachable(world: World, start: Thing, skip: Thing): Set<Thing> {
  const seen = new Set<Thing>([start]);
  const queue = [start];
  while (queue.length > 0) {
    const terminal = queue.pop() as Thing;
    const owner = terminal.parent as Thing;
    const next = [...linksOf(world, terminal)];
    if (owner !== skip && owner.electrical !== 'battery' && owner.conductive) {
      next.push(...terminalsOf(world, owner).filter((t) => t !== terminal));
    }
    for (const other of next) {
      if (!seen.has(other)) {
        seen.add(other);
        queue.push(other);
      }
    }
  }
  return seen;
}

/** Solar panels and wind generators only produce power outside; batteries and generators anywhere. */
export function producesPower(source: Thing): boolean {
  if (source.name === 'solar panel' || source.name === 'wind generator') return roomOf(source)?.name === 'outside';
  return true;
}

/** The power sources that drive current through a load right now. */
export function poweringSources(world: World, load: Thing, sources: Thing[]): Thing[] {
  const [a, b] = terminalsOf(world, load) as [Thing, Thing];
  return sources.filter((source) => {
    if (!producesPower(source)) return false;
    const [anode, cathode] = terminalsOf(world, source) as [Thing, Thing];
    const fromAnode = reachable(world, anode, load);
    const fromCathode = reachable(world, cathode, load);
    return (fromAnode.has(a) && fromCathode.has(b)) || (fromAnode.has(b) && fromCathode.has(a));
  });
}

export function powerSources(world: World): Thing[] {
  return allThings(world).filter((t) => t.electrical === 'battery');
}

/** Turns each load on or off by whether a power source drives current through it. */
export function updateCircuits(world: World): void {
  const things = allThings(world);
  const sources = things.filter((t) => t.electrical === 'battery');
  for (const load of things.filter((t) => t.electrical === 'load')) {
    load.active = poweringSources(world, load, sources).length > 0;
  }
}

/** Whether two things are linked by connections through wires only (for the optional subgoals). */
export function wiredTogether(world: World, a: Thing, b: Thing): boolean {
  const start = world.terminals.get(a.id) ?? [];
  const seen = new Set<Thing>(start);
  const queue = [...start];
  while (queue.length > 0) {
    const terminal = queue.pop() as Thing;
    const owner = terminal.parent as Thing;
    if (owner === b) return true;
    const next = [...linksOf(world, terminal)];
    if (owner.electrical === 'wire') next.push(...terminalsOf(world, owner));
    for (const other of next) {
      if (!seen.has(other)) {
        seen.add(other);
        queue.push(other);
      }
    }
  }
  return false;
}

export function connectedToWire(world: World, thing: Thing, index: 0 | 1): boolean {
  const terminal = world.terminals.get(thing.id)?.[index];
  return terminal !== undefined && [...linksOf(world, terminal)].some((o) => o.parent?.electrical === 'wire');
}

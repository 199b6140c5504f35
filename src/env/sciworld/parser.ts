// The ScienceWorld input parser: lowercase, drop a/an/the, match an action's trigger words as a prefix,
// then object referents as prefixes of the rest, recursively; the whole input must be consumed.
// It returns every distinct (action, objects) reading; the env decides between run / no match / ambiguity.
import type { Thing } from './things.ts';
import { hasTerminals, terminalsOf } from './electricity.ts';
import { descendants } from './things.ts';
import type { World } from './world.ts';
import { doorsOf, otherSide } from './world.ts';

export type ActionName =
  | 'open' | 'close' | 'activate' | 'deactivate' | 'use' | 'look around' | 'look at' | 'look in' | 'read'
  | 'move' | 'pick up' | 'put down' | 'pour' | 'dunk' | 'mix' | 'go' | 'teleport' | 'eat' | 'flush'
  | 'focus' | 'reset task' | 'wait' | 'wait1' | 'inventory' | 'task' | 'connect' | 'disconnect';

type Slot = 'OBJ' | 'LOC' | 'ROOM';
type Part = Slot | string[][];

interface Template {
  name: ActionName;
  /** How an instance is written in the ambiguity list (first synonym, OBJ placeholders). */
  canonical: string;
  parts: Part[];
}

const words = (...phrases: string[]): string[][] => phrases.map((p) => p.split(' '));

export const TEMPLATES: Template[] = [
  { name: 'open', canonical: 'open OBJ', parts: [words('open'), 'OBJ'] },
  { name: 'close', canonical: 'close OBJ', parts: [words('close'), 'OBJ'] },
  { name: 'activate', canonical: 'activate OBJ', parts: [words('activate', 'turn on'), 'OBJ'] },
  { name: 'deactivate', canonical: 'deactivate OBJ', parts: [words('deactivate', 'turn off'), 'OBJ'] },
  { name: 'use', canonical: 'use OBJ on OBJ', parts: [words('use'), 'OBJ', words('on', 'with'), 'OBJ'] },
  { name: 'look around', canonical: 'look around', parts: [words('look around', 'look')] },
  { name: 'look at', canonical: 'look at OBJ', parts: [words('look at', 'look on', 'examine'), 'OBJ'] },
  { name: 'look in', canonical: 'look in OBJ', parts: [words('look in'), 'OBJ'] },
  { name: 'read', canonical: 'read OBJ', parts: [words('read'), 'OBJ'] },
  { name: 'move', canonical: 'move OBJ to OBJ', parts: [words('move', 'put'), 'OBJ', words('to', 'in', 'into', 'on'), 'OBJ'] },
  { name: 'pick up', canonical: 'pick up OBJ', parts: [words('pick up', 'get', 'take'), 'OBJ'] },
  { name: 'put down', canonical: 'put down OBJ', parts: [words('put down', 'drop'), 'OBJ'] },
  { name: 'pour', canonical: 'pour OBJ into OBJ', parts: [words('pour'), 'OBJ', words('into', 'in', 'on', 'to'), 'OBJ'] },
  { name: 'dunk', canonical: 'dunk OBJ into OBJ', parts: [words('dunk'), 'OBJ', words('into', 'in'), 'OBJ'] },
  { name: 'mix', canonical: 'mix OBJ', parts: [words('mix', 'stir'), 'OBJ'] },
  {
    name: 'go', canonical: 'go to LOC',
    parts: [words('go to', 'go', 'go through', 'walk through', 'move through', 'walk to', 'move to', 'go into', 'move into'), 'LOC'],
  },
  { name: 'teleport', canonical: 'teleport to LOC', parts: [words('teleport to', 'teleport', 'teleport into'), 'ROOM'] },
  { name: 'eat', canonical: 'eat OBJ', parts: [words('eat', 'consume'), 'OBJ'] },
  { name: 'flush', canonical: 'flush OBJ', parts: [words('flush'), 'OBJ'] },
  { name: 'focus', canonical: 'focus on OBJ', parts: [words('focus on', 'focus'), 'OBJ'] },
  { name: 'reset task', canonical: 'reset task', parts: [words('reset task')] },
  { name: 'wait', canonical: 'wait', parts: [words('wait')] },
  { name: 'wait1', canonical: 'wait1', parts: [words('wait1')] },
  { name: 'inventory', canonical: 'inventory', parts: [words('inventory')] },
  { name: 'task', canonical: 'task', parts: [words('task')] },
  // Electrical actions exist only when the task turns them on (the conductivity tasks).
  { name: 'connect', canonical: 'connect OBJ to OBJ', parts: [words('connect'), 'OBJ', words('to', 'in', 'into'), 'OBJ'] },
  { name: 'disconnect', canonical: 'disconnect OBJ', parts: [words('disconnect'), 'OBJ'] },
];

const ELECTRICAL_ACTIONS = new Set<ActionName>(['connect', 'disconnect']);

const STOP_WORDS = new Set(['a', 'an', 'the']);

export function tokenize(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter((token) => token !== '' && !STOP_WORDS.has(token));
}

export interface Reading {
  action: ActionName;
  canonical: string;
  things: Thing[];
}

interface Referent {
  tokens: string[];
  thing: Thing;
}

type ReferentIndex = Map<string, Referent[]>;

/** Base referents: name, class words, and `X containing …` forms for containers (contents sorted, joined by `and`). */
export function baseReferents(thing: Thing, here: Thing): string[] {
  if (thing.kind === 'terminal') {
    const owner = thing.parent as Thing;
    return [...[owner.name, ...owner.aliases].map((n) => `${n} ${thing.name}`), `${thing.name} on ${owner.name}`];
  }
  if (thing.kind === 'door') {
    const to = thing.joins ? otherSide(thing, here).name : '';
    return ['door', `door to ${to}`, `${to} door`];
  }
  const names = [thing.name, ...thing.aliases];
  const out = [...names];
  if (thing.container && thing.kind !== 'room' && thing.kind !== 'agent') {
    const inside = thing.contents.map((t) => t.name).sort();
    const contained = inside.length === 0 ? 'nothing' : inside.join(' and ');
    for (const name of names) out.push(`${name} containing ${contained}`);
  }
  return out;
}

/** Every referent of a thing: the base forms, and each again with `in <container>` / `on <container>`. */
export function referents(thing: Thing, here: Thing): string[] {
  const base = baseReferents(thing, here);
  const parent = thing.parent;
  if (!parent || thing.kind === 'door' || thing.kind === 'room' || thing.kind === 'terminal') return base;
  const parentNames = [parent.name, ...parent.aliases];
  const out = [...base];
  for (const b of base) for (const p of parentNames) out.push(`${b} in ${p}`, `${b} on ${p}`);
  return out;
}

function buildIndex(things: Thing[], here: Thing): ReferentIndex {
  const index: ReferentIndex = new Map();
  for (const thing of things) {
    const seen = new Set<string>();
    for (const text of referents(thing, here)) {
      const tokens = tokenize(text);
      const key = tokens.join(' ');
      if (tokens.length === 0 || seen.has(key)) continue;
      seen.add(key);
      const first = tokens[0] as string;
      const bucket = index.get(first);
      if (bucket) bucket.push({ tokens, thing });
      else index.set(first, [{ tokens, thing }]);
    }
  }
  return index;
}

/** Things the agent can refer to from where it is: visible contents, the room, its doors, neighbouring rooms. */
export function visibleThings(world: World, here: Thing): Thing[] {
  const doors = doorsOf(world, here);
  const inside = descendants(here, false);
  const terminals = world.electrical ? inside.filter(hasTerminals).flatMap((t) => terminalsOf(world, t)) : [];
  return [here, ...inside, ...doors, ...doors.map((door) => otherSide(door, here)), ...terminals];
}

export class Parser {
  private readonly objects: ReferentIndex;
  private readonly locations: ReferentIndex;
  private readonly rooms: ReferentIndex;
  private readonly templates: Template[];

  constructor(world: World, here: Thing) {
    this.templates = world.electrical ? TEMPLATES : TEMPLATES.filter((t) => !ELECTRICAL_ACTIONS.has(t.name));
    this.objects = buildIndex(visibleThings(world, here), here);
    // `go to X` parses for anything visible; only doors and the rooms behind them lead anywhere.
    this.locations = this.objects;
    this.rooms = buildIndex([...world.rooms.values()], here);
  }

  parse(input: string): Reading[] {
    const tokens = tokenize(input);
    const out: Reading[] = [];
    const seen = new Set<string>();
    for (const template of this.templates) {
      this.matchParts(template, tokens, 0, 0, [], (things) => {
        const key = `${template.name}|${things.map((t) => t.id).join(',')}`;
        if (seen.has(key)) return;
        seen.add(key);
        out.push({ action: template.name, canonical: template.canonical, things });
      });
    }
    return out;
  }

  private matchParts(template: Template, tokens: string[], partIndex: number, pos: number, things: Thing[], emit: (things: Thing[]) => void): void {
    if (partIndex === template.parts.length) {
      if (pos === tokens.length) emit(things);
      return;
    }
    const part = template.parts[partIndex] as Part;
    if (typeof part === 'string') {
      const index = part === 'OBJ' ? this.objects : part === 'LOC' ? this.locations : this.rooms;
      for (const referent of index.get(tokens[pos] ?? '') ?? []) {
        if (startsWith(tokens, pos, referent.tokens)) {
          this.matchParts(template, tokens, partIndex + 1, pos + referent.tokens.length, [...things, referent.thing], emit);
        }
      }
      return;
    }
    for (const phrase of part) {
      if (startsWith(tokens, pos, phrase)) this.matchParts(template, tokens, partIndex + 1, pos + phrase.length, things, emit);
    }
  }
}

function startsWith(tokens: string[], pos: number, phrase: string[]): boolean {
  if (pos + phrase.length > tokens.length) return false;
  for (let i = 0; i < phrase.length; i++) if (tokens[pos + i] !== phrase[i]) return false;
  return true;
}

/** One line of the ambiguity list: the canonical form with each object as `name (in container, …)`. */
export function renderReading(reading: Reading): string {
  let index = 0;
  return reading.canonical.replace(/OBJ|LOC/g, () => {
    const thing = reading.things[index++];
    return thing ? nameWithPlace(thing) : '';
  });
}

function nameWithPlace(thing: Thing): string {
  if (thing.kind === 'room' || thing.kind === 'door') return thing.name;
  if (thing.kind === 'terminal') return `${thing.parent?.name} ${thing.name}`;
  const places: string[] = [];
  // The path stops at the inventory: what the agent carries is `in inventory`, not in the room.
  for (let p = thing.parent; p; p = p.kind === 'inventory' ? null : p.parent) places.push(`in ${p.name}`);
  return places.length === 0 ? thing.name : `${thing.name} (${places.join(', ')})`;
}

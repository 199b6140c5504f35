// Helpers the gold experts share: a referent that names exactly one thing from where the agent stands
// (so gold paths never trigger the ambiguity prompt), where things are, and step constructors.
import type { ExpertStep, ExpertView } from './family.ts';
import { Parser } from './parser.ts';
import type { Thing } from './things.ts';
import { roomOf } from './things.ts';

export function step(thought: string, action: string): ExpertStep {
  return { thought, action };
}

export function here(view: ExpertView): Thing {
  return roomOf(view.world.agent) as Thing;
}

/** The shortest referent for `thing` that parses to a single reading of `template` (e.g. `focus on X`). */
export function uniqueRef(view: ExpertView, thing: Thing, template: (ref: string) => string): string {
  const parser = new Parser(view.world, here(view));
  const parent = thing.parent;
  const candidates = [thing.name, ...thing.aliases.filter((a) => a !== 'substance' && a !== 'container')];
  if (thing.container) {
    const inside = thing.contents.map((t) => t.name).sort();
    candidates.push(`${thing.name} containing ${inside.length === 0 ? 'nothing' : inside.join(' and ')}`);
  }
  if (parent) {
    const base = [...candidates];
    for (const b of base) candidates.push(`${b} in ${parent.name}`);
  }
  for (const ref of candidates) {
    const readings = parser.parse(template(ref));
    if (readings.length === 1 && readings[0]?.things.includes(thing)) return ref;
  }
  return thing.parent ? `${thing.name} in ${thing.parent.name}` : thing.name;
}

/** `teleport to ROOM` unless already there. */
export function* goTo(view: ExpertView, roomName: string, why: string): Generator<ExpertStep, void, void> {
  if (here(view).name === roomName) return;
  yield step(why, `teleport to ${roomName}`);
}

/** Reads the temperature as a rounded integer (what the thermometer would say). */
export function celsius(thing: Thing): number {
  const value = Math.round(thing.temperature);
  return value === 0 ? 0 : value;
}

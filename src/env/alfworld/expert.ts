// The ALFWorld expert (benchmarks.md §2.6, handcoded style): it knows only what a player sees (the room
// list, the goal sentence, each observation) plus ALFRED's location priors. It searches receptacles in
// prior order, opens closed ones and closes them again when they hold nothing useful, takes a goal object,
// uses the appliance, and puts it in the target. Replies are `Thought: …\nAction: …`.
import { Rng } from '../../rng.ts';
import type { EnvInfo, ResetResult, ScriptedAgent } from '../types.ts';
import * as say from './expert-thoughts.ts';
import { APPLIANCE, LAMP_HOSTS, OBJECT_HOMES } from './tables.ts';
import { parseGoal, type Task } from './tasks.ts';
import { NOTHING_HAPPENS } from './texts.ts';

const APPLY_VERB: Record<string, string> = { clean: 'clean', heat: 'heat', cool: 'cool' };
const DONE_VERB: Record<string, string> = { clean: 'clean', heat: 'hot', cool: 'cool' };

/** Parses `a X 1, a Y 2, and a Z 3` (or `nothing`) into names. */
export function parseList(text: string): string[] {
  if (text === 'nothing') return [];
  return text.split(/, and |, /).map((item) => item.replace(/^a /, ''));
}

/** The contents a receptacle view shows, or null when it says the receptacle is closed. */
export function parseView(observation: string): { receptacle: string; items: string[] | null } | null {
  const text = observation.replace(/^You arrive at loc \d+\. /, '').replace(/^You open the [^.]+\. /, '');
  let match = /^On the (.+?), you see (.*)\.$/.exec(text) ?? /^The (.+?) is open\. In it, you see (.*)\.$/.exec(text);
  if (match) return { receptacle: match[1] ?? '', items: parseList(match[2] ?? '') };
  match = /^The (.+?) is closed\.$/.exec(text);
  return match ? { receptacle: match[1] ?? '', items: null } : null;
}

const typeOf = (name: string): string => name.slice(0, name.lastIndexOf(' '));
const numberOf = (name: string): number => Number(name.slice(name.lastIndexOf(' ') + 1));

export class AlfWorldExpert implements ScriptedAgent {
  private readonly rng: Rng;
  private readonly task: Task;
  private readonly receptacles: string[];
  /** Receptacle → items seen in it (null: seen closed). Absent: never visited. */
  private readonly seen = new Map<string, string[] | null>();
  private readonly openNow = new Set<string>();
  private at: string | null = null;
  private holding: string | null = null;
  private treated = false;
  private lampHost: string | null = null;
  private lampName: string | null = null;
  private target: string | null = null;
  private placed: string[] = [];
  private lastAction: string | null = null;
  private turn = 0;

  constructor(reset: ResetResult, seed: number) {
    this.rng = new Rng(seed);
    const goal = /Your task is to: (.*)\.$/m.exec(reset.observation)?.[1] ?? '';
    const task = parseGoal(goal);
    if (!task) throw new Error(`alfworld expert: cannot read the goal "${goal}"`);
    this.task = task;
    const room = /you see (.*)\.$/m.exec(reset.observation.split('\n\n')[1] ?? '')?.[1] ?? '';
    this.receptacles = parseList(room);
  }

  act(observation: string, info: EnvInfo): string {
    this.observe(observation);
    const [thought, action] = this.decide();
    const valid = info.validActions;
    // A safety net that should never fire: stay inside the admissible list.
    const chosen = valid && !valid.includes(action) ? this.rng.pick(valid) : action;
    this.lastAction = chosen;
    this.turn += 1;
    return `Thought: ${thought}\nAction: ${chosen}`;
  }

  private observe(observation: string): void {
    const last = this.lastAction;
    if (last === null || observation === NOTHING_HAPPENS) return;
    if (last.startsWith('go to ')) this.at = last.slice(6);
    if (last.startsWith('open ')) this.openNow.add(last.slice(5));
    if (last.startsWith('close ')) this.openNow.delete(last.slice(6));
    if (last.startsWith('take ')) {
      const [thing, from] = last.slice(5).split(' from ') as [string, string];
      this.holding = thing;
      this.seen.set(from, (this.seen.get(from) ?? []).filter((n) => n !== thing));
    }
    if (last.startsWith('put ')) {
      const [thing, into] = last.slice(4).split(' in/on ') as [string, string];
      this.holding = null;
      this.treated = false;
      this.placed.push(thing);
      this.seen.set(into, [...(this.seen.get(into) ?? []), thing]);
    }
    if (/^(clean|heat|cool) /.test(last)) this.treated = true;
    const view = parseView(observation);
    if (view) {
      this.seen.set(view.receptacle, view.items);
      for (const item of view.items ?? []) {
        if (typeOf(item) === this.task.target && this.task.type === 'examine') {
          this.lampHost = view.receptacle;
          this.lampName = item;
        }
      }
    }
  }

  private decide(): [string, string] {
    const task = this.task;
    const holdingGoal = this.holding !== null && typeOf(this.holding) === task.object;
    if (!holdingGoal) return this.find();
    const thing = this.holding as string;
    if (task.type === 'examine') return this.toLamp(thing);
    const applianceType = APPLIANCE[task.type];
    if (applianceType && !this.treated) {
      const appliance = this.firstOfType(applianceType);
      if (this.at !== appliance) return [say.toApplianceThought(this.rng, task, thing, appliance), `go to ${appliance}`];
      return [say.applyThought(this.rng, task, thing, appliance), `${APPLY_VERB[task.type]} ${thing} with ${appliance}`];
    }
    const target = (this.target ??= this.firstOfType(task.target));
    if (this.at !== target) {
      const after = applianceType ? (DONE_VERB[task.type] ?? null) : null;
      return [say.toTargetThought(this.rng, task, thing, target, this.justTreated() ? after : null), `go to ${target}`];
    }
    if (this.seen.get(target) === null && !this.openNow.has(target)) return [say.openTargetThought(this.rng, target, thing), `open ${target}`];
    return [say.putThought(this.rng, thing, target), `put ${thing} in/on ${target}`];
  }

  private justTreated(): boolean {
    return this.lastAction !== null && /^(clean|heat|cool) /.test(this.lastAction);
  }

  /** Find and take a goal object: a known one, else the next receptacle in prior order. */
  private find(): [string, string] {
    const task = this.task;
    const known = this.knownInstance();
    if (known) {
      const [thing, place] = known;
      if (this.at === place) return [say.takeThought(this.rng, thing, place), `take ${thing} from ${place}`];
      return [say.goBackThought(this.rng, thing, place), `go to ${place}`];
    }
    const here = this.at;
    if (here !== null && this.seen.get(here) === null && !this.openNow.has(here)) return [say.openThought(this.rng, here, task.object), `open ${here}`];
    if (here !== null && this.openNow.has(here) && here !== this.target) {
      this.openNow.delete(here);
      return [say.closeThought(this.rng, here, task.object), `close ${here}`];
    }
    const order = this.searchOrder(task.object);
    const next = order.find((r) => !this.seen.has(r)) ?? order[this.turn % order.length] ?? (this.receptacles[0] as string);
    if (this.turn === 0) {
      const appliance = APPLIANCE[task.type] ? this.firstOfType(APPLIANCE[task.type] as string) : null;
      return [say.planThought(this.rng, task, appliance, order.slice(0, 4), next), `go to ${next}`];
    }
    if (task.type === 'puttwo' && this.placed.length === 1 && this.lastAction?.startsWith('put ')) {
      return [say.secondThought(this.rng, task, this.placed[0] as string, this.target as string, next), `go to ${next}`];
    }
    return [say.searchNextThought(this.rng, task.object, this.lastAction?.startsWith('close ') ? null : here, next), `go to ${next}`];
  }

  private toLamp(thing: string): [string, string] {
    const lampType = this.task.target;
    if (this.lampHost && this.lampName) {
      if (this.at === this.lampHost) return [say.useThought(this.rng, thing, this.lampName, this.lampHost), `use ${this.lampName}`];
      return [say.lampThought(this.rng, thing, this.lampName, this.lampHost, this.lampHost), `go to ${this.lampHost}`];
    }
    const order = this.searchOrder(lampType);
    const next = order.find((r) => !this.seen.has(r)) ?? (order[0] as string);
    return [say.lampThought(this.rng, thing, `${lampType} 1`, null, next), `go to ${next}`];
  }

  /** A goal-type object seen in an open receptacle other than the target, nearest (current place) first. */
  private knownInstance(): [string, string] | null {
    let best: [string, string] | null = null;
    for (const [place, items] of this.seen) {
      if (!items || place === this.target) continue;
      if (this.task.type !== 'examine' && typeOf(place) === this.task.target && this.task.type !== 'puttwo') continue;
      for (const item of items) {
        if (typeOf(item) !== this.task.object) continue;
        if (place === this.at) return [item, place];
        best ??= [item, place];
      }
    }
    return best;
  }

  /** Receptacles by prior rank of their type for `wanted` (lamps: lamp hosts), then number ascending. */
  private searchOrder(wanted: string): string[] {
    const homes = OBJECT_HOMES[wanted] ?? LAMP_HOSTS;
    const rank = (name: string): number => {
      const i = homes.indexOf(typeOf(name));
      return i < 0 ? homes.length : i;
    };
    return this.receptacles
      .filter((r) => !(this.task.type === 'puttwo' && r === this.target))
      .sort((a, b) => rank(a) - rank(b) || (typeOf(a) < typeOf(b) ? -1 : typeOf(a) > typeOf(b) ? 1 : numberOf(a) - numberOf(b)));
  }

  private firstOfType(type: string): string {
    const matches = this.receptacles.filter((r) => typeOf(r) === type).sort((a, b) => numberOf(a) - numberOf(b));
    return matches[0] ?? (this.receptacles[0] as string);
  }
}

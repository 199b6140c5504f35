// What each parsed ScienceWorld action does to the world and the text it answers with (success texts and
// refusals as the original). Focus, task text and scoring belong to the env; it passes them in here.
import { examine, inventoryText, lookAround, lookIn } from './describe.ts';
import { mixContents } from './chemistry.ts';
import { connect, disconnect } from './electricity.ts';
import { makeSubstance } from './materials.ts';
import type { Reading } from './parser.ts';
import type { Thing } from './things.ts';
import { isInside, isLiquid, putInside, roomOf } from './things.ts';
import type { World } from './world.ts';
import { doorsOf, otherSide } from './world.ts';

export const LIQUID_REFUSAL =
  "You can't pick up a liquid directly.  Try pouring it from one container to another, or dunking empty containers into containers filled with the liquid.";

export interface ActionHooks {
  focus(thing: Thing): string;
  resetTask(): string;
  taskText(): string;
  /** Told when a thermometer reads a thing (some tasks reward measuring). */
  measured(thing: Thing): void;
}

export interface ActionOutcome {
  text: string;
  /** Simulation ticks the action costs: 0 for the free actions, 10 for `wait`. */
  ticks: number;
}

export function runAction(world: World, reading: Reading, hooks: ActionHooks): ActionOutcome {
  const [first, second] = reading.things as [Thing, Thing];
  const here = roomOf(world.agent) as Thing;
  switch (reading.action) {
    case 'look around': return { text: lookAround(world, here), ticks: 0 };
    case 'inventory': return { text: inventoryText(world), ticks: 0 };
    case 'task': return { text: hooks.taskText(), ticks: 0 };
    case 'wait': return { text: 'You decide to wait for 10 iterations.', ticks: 10 };
    case 'wait1': return { text: 'You decide to wait for 1 iterations.', ticks: 1 };
    case 'reset task': return ticked(hooks.resetTask());
    case 'focus': return ticked(hooks.focus(first));
    case 'open': return ticked(setOpen(first, true));
    case 'close': return ticked(setOpen(first, false));
    case 'activate': return ticked(setActive(first, true));
    case 'deactivate': return ticked(setActive(first, false));
    case 'look at': return ticked(examine(first, world));
    case 'look in': return ticked(lookIn(first));
    case 'read': return ticked(first.text ?? `There is nothing written on the ${first.name}.`);
    case 'use': return ticked(use(world, first, second, hooks));
    case 'move': return ticked(move(first, second, here));
    case 'pick up': return ticked(move(first, world.inventory, here));
    case 'put down':
      if (first.parent !== world.inventory) return ticked(`The ${first.name} is not in your inventory.`);
      return ticked(move(first, here, here));
    case 'pour': return ticked(pour(first, second));
    case 'dunk': return ticked(dunk(first, second));
    case 'mix': return ticked(first.container && first.kind !== 'room' ? mixContents(world, first) : `The ${first.name} is not a container, so its contents can't be mixed.`);
    case 'go': return ticked(go(world, here, first));
    case 'teleport':
      putInside(world.agent, first);
      return ticked(`You teleport to the ${first.name}.`);
    case 'eat': return ticked(eat(first));
    case 'connect': return ticked(connect(world, first, second));
    case 'disconnect': return ticked(disconnect(world, first));
    case 'flush':
      return ticked(first.kind === 'toilet' ? `The ${first.name} is flushed.` : `The ${first.name} can't be flushed.`);
  }
}

function ticked(text: string): ActionOutcome {
  return { text, ticks: 1 };
}

function setOpen(thing: Thing, open: boolean): string {
  if (thing.open === undefined) return `The ${thing.name} is not ${open ? 'openable' : 'closeable'}.`;
  if (thing.open === open) return `The ${thing.name} is already ${open ? 'open' : 'closed'}.`;
  thing.open = open;
  return `The ${thing.name} is now ${open ? 'open' : 'closed'}.`;
}

function setActive(thing: Thing, active: boolean): string {
  const verb = active ? 'activated' : 'deactivated';
  if (!thing.activatable) return `The ${thing.name} is not something that can be ${verb}.`;
  if (thing.active === active) return `The ${thing.name} is already ${verb}.`;
  thing.active = active;
  return `The ${thing.name} is now ${verb}.`;
}

function use(world: World, tool: Thing, target: Thing, hooks: ActionHooks): string {
  if (tool.name === 'shovel' && target.name === 'ground') {
    putInside(makeSubstance(world.factory, 'soil'), world.inventory);
    return 'You dig with the shovel and collect some soil.';
  }
  if (tool.name === 'lighter') return ignite(target);
  if (tool.kind !== 'thermometer') return "I'm not sure how to use those two things together.";
  hooks.measured(target);
  tool.temperature = target.temperature;
  const reading = Math.round(target.temperature);
  return `the thermometer measures a temperature of ${reading === 0 ? 0 : reading} degrees celsius`;
}

/** Ticks a lit object burns before it is burned out. */
export const BURN_TICKS = 30;

function ignite(target: Thing): string {
  if (!target.combustible || target.burned) return `The ${target.name} does not catch fire.`;
  if (target.burning) return `The ${target.name} is already on fire.`;
  target.burning = BURN_TICKS;
  return `The ${target.name} is now on fire.`;
}

function canHold(item: Thing, container: Thing, here: Thing): string | null {
  if (!item.movable || item.kind === 'room' || item.kind === 'door') return `The ${item.name} is not moveable.`;
  if (isLiquid(item)) return LIQUID_REFUSAL;
  if (item === container || isInside(container, item)) return "You can't move something into itself.";
  if (container.kind === 'room' && container !== here) return "It's not clear how to get there from here.";
  if (!container.container || container.kind === 'agent') return "That can't be moved there.";
  if (container.open === false) return `That can't be moved there, because the ${container.name} isn't open.`;
  return null;
}

function move(item: Thing, container: Thing, here: Thing): string {
  const refusal = canHold(item, container, here);
  if (refusal) return refusal;
  if (item.parent === container) return `The ${item.name} is already in the ${container.name}.`;
  putInside(item, container);
  return `You move the ${item.name} to the ${container.name}.`;
}

function pourTarget(target: Thing): string | null {
  if (!target.container || target.kind === 'room' || target.kind === 'agent') return "That can't be poured there.";
  if (target.open === false) return `That can't be moved there, because the ${target.name} isn't open.`;
  return null;
}

function pour(source: Thing, target: Thing): string {
  const refusal = pourTarget(target);
  if (refusal) return refusal;
  if (source === target || isInside(target, source)) return "You can't pour something into itself.";
  if (source.container && source.kind !== 'room') {
    if (source.contents.length === 0) return `The ${source.name} is empty.`;
    for (const item of [...source.contents]) putInside(item, target);
    return `You pour the contents of the ${source.name} into the ${target.name}.`;
  }
  if (source.kind === 'substance' && source.matter?.state !== 'gas') {
    putInside(source, target);
    return `You pour the ${source.name} into the ${target.name}.`;
  }
  return `The ${source.name} can't be poured.`;
}

function dunk(cup: Thing, pool: Thing): string {
  if (!cup.container || !pool.container) return "I'm not sure how to dunk those two things together.";
  const liquids = pool.contents.filter(isLiquid);
  if (liquids.length === 0) return `There is no liquid in the ${pool.name} to dunk into.`;
  for (const liquid of liquids) putInside(liquid, cup);
  return `You dunk the ${cup.name} in the ${pool.name}, moving the liquids (${liquids.map((l) => l.name).join(', ')}) to the ${cup.name}.`;
}

function go(world: World, here: Thing, target: Thing): string {
  const destination = target.kind === 'door' ? otherSide(target, here) : target;
  if (destination === here) return `You are already in the ${here.name}.`;
  const door = doorsOf(world, here).find((d) => otherSide(d, here) === destination);
  if (!door) return "It's not clear how to get there from here.";
  if (!door.open) return `The door to the ${destination.name} is closed.`;
  putInside(world.agent, destination);
  return `You move to the ${destination.name}.`;
}

function eat(food: Thing): string {
  if (!food.edible) return `The ${food.name} is not edible.`;
  const parent = food.parent;
  if (parent) parent.contents.splice(parent.contents.indexOf(food), 1);
  food.parent = null;
  return `The ${food.name} was delicious.`;
}

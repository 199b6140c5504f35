// Texts of the ScienceWorld port: object descriptions, the look-around layout, inventory and the
// final clean-up every observation gets (trim, runs of spaces collapsed; newlines and tabs kept).
import { connectionText } from './electricity.ts';
import type { Thing } from './things.ts';
import { byName } from './things.ts';
import type { World } from './world.ts';
import { doorsOf, otherSide } from './world.ts';

export function cleanText(text: string): string {
  return text.trim().replace(/ {2,}/g, ' ');
}

export function article(name: string): string {
  return /^[aeiou]/.test(name) ? 'an' : 'a';
}

/** What a container holds, as a sentence fragment: descriptions sorted by name, or `nothing`. */
function listing(container: Thing): string {
  const items = [...container.contents].sort(byName).map(describe);
  return items.length === 0 ? 'nothing' : items.join(', ');
}

/** The short form used inside cups: substances by bare name, everything else by description. */
function cupListing(container: Thing): string {
  const items = [...container.contents].sort(byName).map((item) => (item.kind === 'substance' ? item.name : describe(item)));
  return items.length === 0 ? 'nothing' : items.join(', ');
}

function onOff(thing: Thing): string {
  return thing.active ? 'on' : 'off';
}

function doorPart(thing: Thing): string {
  if (thing.open === undefined) return '';
  return ` The ${thing.name} door is ${thing.open ? 'open' : 'closed'}.`;
}

function insidePart(thing: Thing): string {
  if (thing.open === false) return '';
  return ` In the ${thing.name} is: ${listing(thing)}.`;
}

/** The cursory description of a thing, as room listings and container listings show it. */
export function describe(thing: Thing): string {
  const text = describeKind(thing);
  return thing.burning ? `${text} (on fire)` : text;
}

function describeKind(thing: Thing): string {
  switch (thing.kind) {
    case 'agent':
      return 'the agent';
    case 'substance':
      return `a substance called ${thing.name}`;
    case 'cup':
      return `${article(thing.name)} ${thing.name} (containing ${cupListing(thing)})`;
    case 'surface':
      return `${article(thing.name)} ${thing.name}. On the ${thing.name} is: ${listing(thing)}.`;
    case 'cupboard':
      // A drawer inside a cupboard is listed by name only (as in ETO's example).
      if (thing.parent && thing.parent.kind !== 'room') return `${article(thing.name)} ${thing.name}`;
      return `${article(thing.name)} ${thing.name}.${doorPart(thing)}${insidePart(thing)}`;
    case 'fridge': {
      const off = thing.active ? '' : ', which is turned off';
      return `${article(thing.name)} ${thing.name}${off}.${doorPart(thing)}${insidePart(thing)}`;
    }
    case 'oven':
      return `${article(thing.name)} ${thing.name}, which is turned ${onOff(thing)}.${doorPart(thing)}${insidePart(thing)}`;
    case 'stove':
      return `a stove, which is turned ${onOff(thing)}. On the stove is: ${listing(thing)}.`;
    case 'sink':
      return `a sink, which is turned ${onOff(thing)}. In the sink is: ${listing(thing)}.`;
    case 'toilet':
    case 'firepit':
      return `${article(thing.name)} ${thing.name}. In the ${thing.name} is: ${listing(thing)}.`;
    case 'thermometer':
      return `a thermometer, currently reading a temperature of ${formatTemperature(thing.temperature)} degrees celsius`;
    case 'plant':
      return describePlant(thing);
    case 'animal':
      if (thing.life?.cycle) return `${article(thing.name)} ${thing.name} in the ${thing.life.stage} stage`;
      return `${article(thing.name)} ${thing.name}`;
    case 'door':
      return `a door`;
    default:
      if (thing.electrical === 'load') return `${article(thing.name)} ${thing.name}, which is ${thing.active ? 'on' : 'off'}`;
      if (thing.container) return `${article(thing.name)} ${thing.name} (containing ${cupListing(thing)})`;
      return `${article(thing.name)} ${thing.name}`;
  }
}

function describePlant(thing: Thing): string {
  const stage = thing.life?.stage ?? 'adult';
  if (stage === 'seed') return `${article(thing.name)} ${thing.name}`;
  if (stage === 'dead') return `a dead ${thing.name}`;
  return `${article(thing.name)} ${thing.name} in the ${stage} stage`;
}

/** `%.0f` as Java prints it (half-up on the decimal string); -0 shows as 0 here. */
export function formatTemperature(celsius: number): string {
  const rounded = Math.round(celsius);
  return String(rounded === 0 ? 0 : rounded);
}

export function lookAround(world: World, location: Thing): string {
  const header = location.name === 'outside'
    ? 'This outside location is called the outside. Here you see: \n'
    : `This room is called the ${location.name}. In it, you see: \n`;
  const lines = [...location.contents].sort(byName).map((thing) => `\t${describe(thing)}\n`).join('');
  const doors = doorsOf(world, location)
    .map((door) => `\tA door to the ${otherSide(door, location).name} (that is ${door.open ? 'open' : 'closed'})`)
    .join('\n');
  return `${header}${lines}You also see:\n${doors}`;
}

export function inventoryText(world: World): string {
  const items = [...world.inventory.contents].sort(byName).map((thing) => `\t${describe(thing)}\n`).join('');
  return `In your inventory, you see:\n${items === '' ? '\tnothing\n' : items}`;
}

/** `look at` / `examine`: the description, plus what its terminals connect to when circuits are on. */
export function examine(thing: Thing, world?: World): string {
  if (thing.kind === 'room') return `This room is called the ${thing.name}.`;
  if (thing.kind === 'terminal') return `the ${thing.name} of the ${thing.parent?.name}.${world ? connectionText(world, thing.parent as Thing) : ''}`;
  const connections = world?.electrical ? connectionText(world, thing) : '';
  return connections === '' ? describe(thing) : `${describe(thing)}.${connections}`;
}

export function lookIn(thing: Thing): string {
  if (!thing.container || thing.kind === 'room') return "It's not clear how to look inside of that.";
  if (thing.open === false) return `The ${thing.name} isn't open, so you can't see inside.`;
  return `Inside the ${thing.name} is: \n${thing.contents.length === 0 ? '\tnothing\n' : [...thing.contents].sort(byName).map((t) => `\t${describe(t)}\n`).join('')}`;
}

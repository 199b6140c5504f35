// ALFWorld's commands (benchmarks.md §2.2): the admissible list for a state, and the effect and feedback
// of one admissible command. A command is valid only when it equals an admissible one; the env checks that.
import { canContain, CLEANABLE, COOLABLE, HEATABLE } from './tables.ts';
import { examineThing, formatList, middleOfRoom, receptacleView } from './texts.ts';
import type { Game, GameState, Receptacle } from './world.ts';

function accessible(receptacle: Receptacle, state: GameState): boolean {
  return !receptacle.openable || state.open.has(receptacle.name);
}

/** Every command that does something in this state, sorted like TextWorld's list. */
export function admissibleCommands(game: Game, state: GameState): string[] {
  const commands: string[] = [];
  for (const receptacle of game.floorplan.receptacles) commands.push(`go to ${receptacle.name}`);
  commands.push('inventory', 'look');
  const held = state.holding === null ? undefined : game.thingByName.get(state.holding);
  if (held) commands.push(`examine ${held.name}`);
  const here = state.at === null ? undefined : game.receptacleByName.get(state.at);
  if (here) {
    commands.push(`examine ${here.name}`);
    if (here.openable) commands.push(state.open.has(here.name) ? `close ${here.name}` : `open ${here.name}`);
    if (accessible(here, state)) {
      for (const thing of game.things) {
        if (state.where.get(thing.name) !== here.name) continue;
        commands.push(`examine ${thing.name}`);
        if (!thing.portable) commands.push(`use ${thing.name}`);
        else if (!held) commands.push(`take ${thing.name} from ${here.name}`);
      }
      if (held && canContain(here.type, held.type)) commands.push(`put ${held.name} in/on ${here.name}`);
    }
    if (held) {
      if (here.type === 'sinkbasin' && CLEANABLE.has(held.type)) commands.push(`clean ${held.name} with ${here.name}`);
      if (here.type === 'microwave' && HEATABLE.has(held.type)) commands.push(`heat ${held.name} with ${here.name}`);
      if (here.type === 'fridge' && COOLABLE.has(held.type)) commands.push(`cool ${held.name} with ${here.name}`);
    }
  }
  return commands.sort();
}

/** Applies an admissible command to `state` and returns its feedback. */
export function execute(game: Game, state: GameState, command: string): string {
  const space = command.indexOf(' ');
  const verb = space < 0 ? command : command.slice(0, space);
  const rest = space < 0 ? '' : command.slice(space + 1);
  switch (verb) {
    case 'go': {
      const receptacle = game.receptacleByName.get(rest.slice('to '.length)) as Receptacle;
      state.at = receptacle.name;
      return `You arrive at loc ${receptacle.loc}. ${receptacleView(game, state, receptacle)}`;
    }
    case 'open':
      state.open.add(rest);
      return `You open the ${rest}. ${receptacleView(game, state, game.receptacleByName.get(rest) as Receptacle)}`;
    case 'close':
      state.open.delete(rest);
      return `You close the ${rest}.`;
    case 'take': {
      const [thing, receptacle] = rest.split(' from ') as [string, string];
      state.where.set(thing, '');
      state.holding = thing;
      return `You pick up the ${thing} from the ${receptacle}.`;
    }
    case 'put': {
      const [thing, receptacle] = rest.split(' in/on ') as [string, string];
      state.where.set(thing, receptacle);
      state.holding = null;
      return `You put the ${thing} in/on the ${receptacle}.`;
    }
    case 'clean': {
      const [thing, receptacle] = rest.split(' with ') as [string, string];
      state.clean.add(thing);
      return `You clean the ${thing} using the ${receptacle}.`;
    }
    case 'heat': {
      const [thing, receptacle] = rest.split(' with ') as [string, string];
      state.hot.add(thing);
      state.cool.delete(thing);
      return `You heat the ${thing} using the ${receptacle}.`;
    }
    case 'cool': {
      const [thing, receptacle] = rest.split(' with ') as [string, string];
      state.cool.add(thing);
      state.hot.delete(thing);
      return `You cool the ${thing} using the ${receptacle}.`;
    }
    case 'use':
      state.on.add(rest);
      return `You turn on the ${rest}.`;
    case 'examine': {
      const receptacle = game.receptacleByName.get(rest);
      return receptacle ? receptacleView(game, state, receptacle) : examineThing(game, state, rest);
    }
    case 'inventory':
      return state.holding === null ? 'You are not carrying anything.' : `You are carrying: ${formatList([state.holding])}.`;
    case 'look':
      return state.at === null ? middleOfRoom(game) : `You are facing the ${state.at}. Next to it, you see nothing.`;
    default:
      throw new Error(`alfworld: execute() got a command that is not admissible: ${command}`);
  }
}

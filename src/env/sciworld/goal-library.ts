// The reusable subgoals of the ScienceWorld tasks (GoalFind, state of matter, in container, device
// active, temperature change, life stage …), each a closure over what it needs to remember.
import type { Goal, GoalContext, GoalResult } from './goals.ts';
import type { MatterState, Thing } from './things.ts';
import { descendants, roomOf } from './things.ts';
import { allThings } from './world.ts';

const pass = (ok: boolean): GoalResult => (ok ? 'pass' : 'none');

/** Focus on a thing that satisfies `accept`; focusing anything else fails the task. */
export function focusOn(description: string, accept: (thing: Thing) => boolean, failIfWrong = true): Goal {
  return {
    description,
    check: ({ focus }) => (focus === null ? 'none' : accept(focus) ? 'pass' : failIfWrong ? 'fail' : 'none'),
  };
}

export function focusIsState(state: MatterState, description: string): Goal {
  return { description, check: ({ focus }) => pass(focus?.matter?.state === state) };
}

/** change-state: the first goal records the state the focused substance is in; the second wants another. */
export function anyThenDifferentState(): [Goal, Goal] {
  let first: MatterState | null = null;
  return [
    {
      description: 'substance is in some state of matter',
      check: ({ focus }) => {
        if (!focus?.matter) return 'none';
        first = focus.matter.state;
        return 'pass';
      },
    },
    {
      description: 'substance is in a different state of matter',
      check: ({ focus }) => pass(focus?.matter !== undefined && first !== null && focus.matter.state !== first),
    },
  ];
}

export function inRoomWith(name: string): Goal {
  return {
    description: `be in same location as ${name}`,
    check: ({ world }) => {
      const here = roomOf(world.agent);
      return pass(here !== null && descendants(here).some((t) => t.name === name));
    },
  };
}

export function focusAloneInContainer(): Goal {
  return {
    description: 'have substance alone in a single container',
    check: ({ focus }) => pass(focus?.parent !== null && focus?.parent !== undefined && focus.parent.kind !== 'room' && focus.parent.contents.length === 1),
  };
}

export function deviceActive(name: string): Goal {
  return {
    description: `activate ${name}`,
    check: ({ world }) => pass(allThings(world).some((t) => t.name === name && t.active === true)),
  };
}

export function focusInside(containerName: string, description: string): Goal {
  return {
    description,
    check: ({ focus }) => {
      for (let p = focus?.parent ?? null; p; p = p.parent) if (p.name === containerName) return 'pass';
      return 'none';
    },
  };
}

export function thingInDirectContainer(containerName: string, names: string[], description: string, key?: string): Goal {
  return {
    description,
    ...(key ? { key } : {}),
    check: ({ world }) => pass(allThings(world).some((t) => names.includes(t.name) && t.parent?.name === containerName)),
  };
}

/** The focused thing got `delta` degrees warmer (or colder, for negative delta) than when first focused. */
export function temperatureChange(delta: number, description: string): Goal {
  const start = new Map<number, number>();
  return {
    description,
    check: ({ focus }: GoalContext) => {
      if (!focus) return 'none';
      const initial = start.get(focus.id) ?? focus.temperature;
      start.set(focus.id, initial);
      return pass(delta >= 0 ? focus.temperature >= initial + delta : focus.temperature <= initial + delta);
    },
  };
}

export function focusStage(stage: string, description: string): Goal {
  return { description, check: ({ focus }) => pass(focus?.life?.stage === stage) };
}

/** The focused thing is directly in `box`; being in one of the `wrong` boxes fails the task. */
export function focusInBox(box: string, wrong: string[], description: string): Goal {
  return {
    description,
    check: ({ focus }) => {
      const parent = focus?.parent?.name;
      if (parent === box) return 'pass';
      return parent !== undefined && wrong.includes(parent) ? 'fail' : 'none';
    },
  };
}

/** A specific thing (not the focus) is directly in a box; the wrong box fails. */
export function thingInBox(thing: Thing, box: string, wrong: string[], description: string): Goal {
  return {
    description,
    check: () => {
      const parent = thing.parent?.name;
      if (parent === box) return 'pass';
      return parent !== undefined && wrong.includes(parent) ? 'fail' : 'none';
    },
  };
}

export function thingInInventory(accept: (thing: Thing) => boolean, description: string): Goal {
  return { description, check: ({ world }) => pass(world.inventory.contents.some(accept)) };
}

export function agentInRoom(roomName: string, description: string): Goal {
  return { description, check: ({ world }) => pass(roomOf(world.agent)?.name === roomName) };
}

export function measuredFocus(description: string): Goal {
  return { description, check: ({ focus, measured }) => pass(focus !== null && measured.has(focus.id)) };
}

export function thingOnFire(name: string, description: string): Goal {
  return { description, check: ({ world }) => pass(allThings(world).some((t) => t.name === name && t.burning !== undefined)) };
}

/** Passes once the agent stands in a room other than the one of the first check (a fresh goal per episode). */
export function movedToNewLocation(): Goal {
  let start: Thing | null = null;
  return {
    description: 'move to a new location',
    check: ({ world }) => {
      const where = roomOf(world.agent);
      start ??= where;
      return where !== start ? 'pass' : 'none';
    },
  };
}

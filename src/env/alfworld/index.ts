// The ALFWorld env module: a TypeScript port of ALFWorld's text world (TextWorld PDDL, ETO-era grammar):
// generated floorplans of the four ALFRED room kinds, the six task types, the handcoded-style expert,
// ETO's harness, and seen/unseen splits whose unseen floorplans never occur in train.
import type { Env, EnvModule } from '../types.ts';
import { AlfWorldEnv } from './alfworld-env.ts';
import { AlfWorldExpert } from './expert.ts';
import { makeGameSource } from './games.ts';
import { harness, ICL_EXAMPLE, INSTRUCTION } from './harness.ts';
import { readOptions, splitInfos } from './splits.ts';
import { NOTHING_HAPPENS } from './texts.ts';
import { HEATABLE, OBJECT_HOMES, ROOM_RECEPTACLES, LAMP_TYPES } from './tables.ts';

export { AlfWorldEnv } from './alfworld-env.ts';

export const alfworld: EnvModule = {
  name: 'alfworld',
  description: 'ALFWorld (TypeScript port of the TextWorld household games, ETO-era grammar): put, examine, clean, heat, cool, puttwo',
  splits: (options) => splitInfos(readOptions(options)),
  create: (options): Env => new AlfWorldEnv(makeGameSource(readOptions(options))),
  harness,
  // The expert reads only observations, so it also plays over RemoteEnv.
  createExpert: (_env, reset, seed) => new AlfWorldExpert(reset, seed),
  corpus: () => {
    const receptacles = new Set(Object.values(ROOM_RECEPTACLES).flatMap((table) => Object.keys(table)));
    const objects = [...Object.keys(OBJECT_HOMES), ...LAMP_TYPES, ...HEATABLE];
    // Every feedback form once, so a word-level vocabulary sees the env's fixed phrases and numbers.
    const feedback = [
      'You arrive at loc 12. On the countertop 1, you see nothing.', 'The fridge 1 is closed.',
      'You open the fridge 1. The fridge 1 is open. In it, you see a apple 2, a egg 1, and a tomato 3.', 'You close the fridge 1.',
      'You pick up the mug 1 from the cabinet 4.', 'You put the mug 1 in/on the coffeemachine 1.', 'You clean the mug 1 using the sinkbasin 1.',
      'You heat the egg 2 using the microwave 1.', 'You cool the pot 1 using the fridge 1.', 'You turn on the desklamp 1.',
      'You are carrying: a cd 2.', 'You are not carrying anything.', 'You are facing the desk 1. Next to it, you see nothing.',
      'This is a hot and clean plate 1. This is a cool and clean cup 1. This is a hot apple 1. This is a clean fork 1. This is a cold lettuce 1.',
      'This floorlamp 1 is on. This desklamp 1 is off.', "There's nothing special about book 1.", NOTHING_HAPPENS,
      Array.from({ length: 61 }, (_, i) => String(i)).join(' '),
    ];
    return [INSTRUCTION, ...ICL_EXAMPLE.map((m) => m.content), [...receptacles].join(' '), objects.join(' '), ...feedback];
  },
};

// The ALFWorld env module: a TypeScript port of ALFWorld's text world (TextWorld PDDL, ETO-era grammar):
// generated floorplans of the four ALFRED room kinds, the six task types, the handcoded-style expert,
// ETO's harness, and seen/unseen splits whose unseen floorplans never occur in train.
import type { Env, EnvModule } from '../types.ts';
import { AlfWorldEnv } from './alfworld-env.ts';
import { AlfWorldExpert } from './expert.ts';
import { makeGameSource } from './games.ts';
import { harness, ICL_EXAMPLE, INSTRUCTION } from './harness.ts';
import { readOptions, splitInfos } from './splits.ts';
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
    return [INSTRUCTION, ...ICL_EXAMPLE.map((m) => m.content), [...receptacles].join(' '), objects.join(' ')];
  },
};

// Shared by the sciworld tests: load a family's variation by name and drive it with plain strings.
import { familyByName } from './families.ts';
import { FAMILIES } from './families.ts';
import { SciWorldEnv } from './sciworld-env.ts';

export function loadTask(familyName: string, variation: number): SciWorldEnv {
  const family = familyByName(familyName);
  if (!family) throw new Error(`no family ${familyName}`);
  const env = new SciWorldEnv(FAMILIES);
  env.load(family, variation, `${familyName}/${variation}`);
  return env;
}

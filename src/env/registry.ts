// Name → environment module. Modules load lazily so that one env's cost is paid only when used.
import { EnvError } from '../errors.ts';
import type { EnvModule } from './types.ts';

// Each env adds one line here: name: async () => (await import('./NAME/index.ts')).NAME,
const loaders: Record<string, () => Promise<EnvModule>> = {
  alfworld: async () => (await import('./alfworld/index.ts')).alfworld,
  sciworld: async () => (await import('./sciworld/index.ts')).sciworld,
  webshop: async () => (await import('./webshop/index.ts')).webshop,
};

export function envNames(): string[] {
  return Object.keys(loaders);
}

export async function getEnv(name: string): Promise<EnvModule> {
  const load = loaders[name];
  if (!load) throw new EnvError(`unknown env "${name}"; known envs: ${envNames().join(', ')}`);
  return load();
}

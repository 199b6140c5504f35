// Shared by the commands: integer flags; input files and model dirs checked before any output is written;
// a stage command's config and deps; split lookup.
import { existsSync } from 'node:fs';
import { ConfigError } from '../../errors.ts';
import type { PolicyFactory } from '../../agent/policy.ts';
import type { LocalPolicyOptions } from '../../agent/local-policy.ts';
import type { EnvModule } from '../../env/types.ts';
import type { RunConfig } from '../../eto/config.ts';
import type { PipelineDeps } from '../../eto/deps.ts';
import { checkpointExists } from '../../model/checkpoint.ts';
import { buildConfig } from '../config-flags.ts';
import { createPipelineDeps } from '../pipeline-deps.ts';
import type { TrainerChoice } from '../trainer-flags.ts';

/** The integer value of a flag (`fallback` when absent), at least `min`. */
export function integerFlag(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    const expected = min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : `an integer ≥ ${min}`;
    throw new ConfigError(flag, `expected ${expected}, got "${text}"`);
  }
  return value;
}

export function checkModelDir(dir: string, flag: string): void {
  if (!existsSync(dir)) throw new ConfigError(flag, `model directory ${dir} does not exist`);
  if (!checkpointExists(dir))
    throw new ConfigError(flag, `${dir} is not a model checkpoint (needs config.json and model.safetensors)`);
}

export function checkInputFile(file: string, flag: string): void {
  if (!existsSync(file)) throw new ConfigError(flag, `file ${file} does not exist`);
}

export function checkFreshOutput(path: string, flag: string): void {
  if (existsSync(path)) throw new ConfigError(flag, `${path} already exists; remove it or choose another path`);
}

/** The run config of a stage command: `--preset` with the given config flags applied (`--out` is the command's own). */
export function stageConfig(options: Record<string, unknown>): RunConfig {
  const flags = Object.fromEntries(Object.entries(options).filter(([key]) => key !== 'out' && key !== 'preset'));
  return buildConfig(String(options.preset ?? 'default'), flags);
}

/** Runs a stage with the process's deps (engine, policies, trainer), released afterwards. */
export async function withDeps(
  config: RunConfig,
  fn: (config: RunConfig, deps: PipelineDeps) => Promise<void>,
  trainer?: TrainerChoice,
  policies?: PolicyFactory,
  local?: LocalPolicyOptions,
): Promise<void> {
  const deps = await createPipelineDeps(config.threads, trainer, policies, local, config.engine);
  try {
    await fn(config, deps);
  } finally {
    deps.dispose();
  }
}

/** The split `name` of the env (checked), or its first split with `role` when no name is given. */
export function splitNamed(module: EnvModule, name: string | undefined, role: 'train' | 'dev'): string {
  const splits = module.splits();
  if (name === undefined) {
    const split = splits.find((s) => s.role === role);
    if (!split) throw new ConfigError('--env', `${module.name} has no ${role} split`);
    return split.name;
  }
  if (!splits.some((s) => s.name === name)) {
    throw new ConfigError(
      '--split',
      `${module.name} has no split "${name}"; it has ${splits.map((s) => s.name).join(', ')}`,
    );
  }
  return name;
}

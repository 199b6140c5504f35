// Small checks shared by the commands: integer flags, and input files and model dirs that exist before any
// output is written.
import { existsSync } from 'node:fs';
import { ConfigError } from '../../errors.ts';
import { checkpointExists } from '../../eto/run-dir.ts';

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
  if (!checkpointExists(dir)) throw new ConfigError(flag, `${dir} is not a model checkpoint (needs config.json and model.safetensors)`);
}

export function checkInputFile(file: string, flag: string): void {
  if (!existsSync(file)) throw new ConfigError(flag, `file ${file} does not exist`);
}

export function checkFreshOutput(path: string, flag: string): void {
  if (existsSync(path)) throw new ConfigError(flag, `${path} already exists; remove it or choose another path`);
}

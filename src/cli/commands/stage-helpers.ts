// Small checks shared by the stage commands: input files and model dirs exist before any output is written.
import { existsSync } from 'node:fs';
import { ConfigError } from '../../errors.ts';
import { checkpointExists } from '../../eto/run-dir.ts';

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

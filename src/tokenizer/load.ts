// Reads a tokenizer from disk: a checkpoint directory (tokenizer.json, plus tokenizer_config.json when present
// for the special-token roles) or a tokenizer.json file. Errors name the file; component errors name the field.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CheckpointError, ConfigError, DataError } from '../errors.ts';
import { HfTokenizer } from './hf-tokenizer.ts';

export function loadHfTokenizer(path: string): HfTokenizer {
  if (!existsSync(path)) throw new CheckpointError(`${path}: no such file or directory (expected tokenizer.json)`);
  const file = statSync(path).isDirectory() ? join(path, 'tokenizer.json') : path;
  if (!existsSync(file)) throw new CheckpointError(`${file}: missing; a Hugging Face tokenizer directory has one`);
  const configFile = join(dirname(file), 'tokenizer_config.json');
  const json = readJson(file);
  const config = existsSync(configFile) ? readJson(configFile) : undefined;
  try {
    return HfTokenizer.fromJSON(json, config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const message = error.message.slice(error.field.length + 2);
    const [name, field] = error.field.startsWith('tokenizer_config.json')
      ? [configFile, error.field.replace(/^tokenizer_config\.json(: )?/, '')]
      : [file, error.field.replace(/^tokenizer\.json(: )?/, '')];
    throw new ConfigError(field ? `${name}: ${field}` : name, message);
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DataError(file, undefined, `not valid JSON (${(error as Error).message})`);
  }
}

// The one check of a --model-base dir, shared by the CLI (before any engine starts) and the pipeline (which a
// library caller reaches without the CLI): it must be a checkpoint, and one not recorded for another env; and the
// check of a --model-init dir.
import { existsSync } from 'node:fs';
import { ConfigError, AppError } from '../errors.ts';
import { checkpointExists } from '../model/checkpoint.ts';
import { openChat } from '../model/policy-model.ts';
import { readTrainedFor } from '../model/trained-for.ts';

export function checkBaseCheckpoint(base: string, env: string, allowOtherEnv = false): void {
  const hint = `create it with \`npm run train-base -- --env ${env}\` or pass --model-base '' to train SFT in this run`;
  checkCheckpointDir('--model-base', base, hint);
  const trainedFor = readTrainedFor(base);
  if (trainedFor !== undefined && trainedFor !== env && !allowOtherEnv) {
    throw new ConfigError(
      '--model-base',
      `${base} was trained for ${trainedFor}, not ${env}; pass a base trained for ${env}, ` +
        "--model-base '' to train SFT in this run, or --allow-other-env-base",
    );
  }
}

/** A --model-init dir: a checkpoint whose tokenizer and chat template eto can open (weights are read by SFT). */
export function checkInitCheckpoint(dir: string): void {
  checkCheckpointDir('--model-init', dir);
  try {
    openChat(dir);
  } catch (error) {
    if (error instanceof AppError) throw new ConfigError('--model-init', error.message);
    throw error;
  }
}

/** The directory exists and holds a checkpoint; errors name the flag that gave it. */
function checkCheckpointDir(flag: string, dir: string, hint?: string): void {
  const missing = `model directory ${dir} does not exist${hint === undefined ? '' : `; ${hint}`}`;
  if (!existsSync(dir)) throw new ConfigError(flag, missing);
  if (!checkpointExists(dir)) {
    throw new ConfigError(flag, `${dir} is not a model checkpoint (needs config.json and model.safetensors)`);
  }
}

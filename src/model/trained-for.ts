// Which env a checkpoint was trained for, so that a run never silently starts one env's agent from another's
// base. Kept beside the HF files (other tools ignore it); a checkpoint without it (an imported model) is
// trusted for any env.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readJson, writeJsonAtomic } from '../data/jsonl.ts';

export const TRAINED_FOR_FILE = 'eto-trained-for.json';

const TrainedForSchema = z.object({ env: z.string().min(1) }).strict();

/** The env recorded in `dir`, or undefined when the checkpoint records none. */
export function readTrainedFor(dir: string): string | undefined {
  const file = join(dir, TRAINED_FOR_FILE);
  return existsSync(file) ? readJson(file, TrainedForSchema).env : undefined;
}

export function writeTrainedFor(dir: string, env: string): void {
  writeJsonAtomic(join(dir, TRAINED_FOR_FILE), { env });
}

// A training job as a folder, the input side of the trainer seam for programs outside eto: the tokenized
// dataset (data.jsonl + dataset_info.json, tokenized-export.ts) and job.json, the settings eto's own trainer
// would use (stage, iteration, seed, hyper-parameters, DPO settings, the starting checkpoint). Read back by
// `eto sft|dpo --from-tokenized`, which then trains exactly what the in-process trainer trains.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readJson, readJsonl, writeJsonAtomic } from '../data/jsonl.ts';
import { DataError } from '../errors.ts';
import { LORA_TARGETS } from '../model/lora-adapter.ts';
import type { EncodedPair, EncodedSequence } from './encode.ts';
import type { PairReference } from './dpo-step.ts';
import {
  DATASET_INFO_FILE,
  DpoTokenizedRowSchema,
  IGNORE_LABEL,
  SftTokenizedRowSchema,
  TOKENIZED_DATA_FILE,
} from './tokenized-export.ts';

export const JOB_FILE = 'job.json';

const HyperSchema = z.object({
  lr: z.number(),
  epochs: z.number(),
  batchTokens: z.number().int(),
  schedule: z.enum(['cosine', 'constant']),
  warmupRatio: z.number(),
  minLrRatio: z.number(),
  weightDecay: z.number(),
  clip: z.number(),
  checkpointEvery: z.number().int(),
});

export const TrainJobFileSchema = z.object({
  kind: z.enum(['sft', 'dpo']),
  stage: z.enum(['sft', 'rft', 'dpo']),
  iteration: z.number().int(),
  /** The batch-order seed, as the trainer gets it (for DPO already dpoSeed(run seed, iteration)). */
  seed: z.number().int(),
  /** The checkpoint training starts from (for DPO also the frozen reference). */
  model: z.string(),
  hyper: HyperSchema,
  dpo: z.object({ beta: z.number(), loss: z.enum(['sigmoid', 'ipo']), nllWeight: z.number() }).optional(),
  /** Train a LoRA adapter (PEFT's names) instead of every weight; absent = full fine-tuning. */
  lora: z.object({
    rank: z.number().int().min(1), alpha: z.number().positive(), dropout: z.number().min(0).lt(1),
    targets: z.array(z.enum(LORA_TARGETS)).min(1).readonly(),
  }).optional(),
});
export type TrainJobFile = z.infer<typeof TrainJobFileSchema>;

export function writeJobFile(dataDir: string, job: TrainJobFile): void {
  writeJsonAtomic(join(dataDir, JOB_FILE), job);
}

/** job.json of a folder, or null when the folder came from `eto export` (which writes none). */
export function readJobFile(dataDir: string): TrainJobFile | null {
  const file = join(dataDir, JOB_FILE);
  return existsSync(file) ? readJson(file, TrainJobFileSchema) : null;
}

const InfoSchema = z.object({ kind: z.enum(['sft', 'dpo']), model: z.string() });

/** The dataset's kind and the model it was tokenized for (dataset_info.json). */
export function readDatasetInfo(dataDir: string): z.infer<typeof InfoSchema> {
  const file = join(dataDir, DATASET_INFO_FILE);
  if (!existsSync(file))
    throw new DataError(file, undefined, "missing: not a folder written by eto export *-tokenized");
  return readJson(file, InfoSchema);
}

/** labels → the scoring mask sequenceLogProbs uses (1 where a label is kept). */
function fromLabels(ids: readonly number[], labels: readonly number[], file: string, line: number): EncodedSequence {
  if (ids.length !== labels.length)
    throw new DataError(file, line, `${ids.length} input ids but ${labels.length} labels`);
  return { ids: Int32Array.from(ids), mask: Uint8Array.from(labels, (label) => (label === IGNORE_LABEL ? 0 : 1)) };
}

export function readSftItems(dataDir: string): EncodedSequence[] {
  const file = join(dataDir, TOKENIZED_DATA_FILE);
  return readJsonl(file, SftTokenizedRowSchema).map((row, i) => fromLabels(row.input_ids, row.labels, file, i + 1));
}

export interface DpoItems {
  pairs: EncodedPair[];
  reference: Map<string, PairReference>;
}

export function readDpoItems(dataDir: string): DpoItems {
  const file = join(dataDir, TOKENIZED_DATA_FILE);
  const rows = readJsonl(file, DpoTokenizedRowSchema);
  const pairs = rows.map((row, i) => ({
    id: row.id,
    chosen: fromLabels(row.chosen_input_ids, row.chosen_labels, file, i + 1),
    rejected: fromLabels(row.rejected_input_ids, row.rejected_labels, file, i + 1),
  }));
  const reference = new Map(
    rows.map((row) => [row.id, { id: row.id, chosen: row.ref_chosen_logps, rejected: row.ref_rejected_logps }]),
  );
  return { pairs, reference };
}

// Writes a Trainer job's data as a job folder for a trainer outside this process (accelerate, a user's
// command): the rows come from eto's encoders and, for DPO, the reference log-probs of the start policy,
// scored here before anything updates it. A new model (SFT from scratch) is saved first, so every external
// trainer starts from a checkpoint.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../engine/index.ts';
import { TrainingError } from '../errors.ts';
import { newModel, openModel, saveModel, withModel } from '../model/policy-model.ts';
import { Tokenizer } from '../model/tokenizer.ts';
import { writeJobFile } from './job-folder.ts';
import { REFERENCE_BATCH_PAIRS } from './local-trainer.ts';
import { dpoTokenizedRows, sftTokenizedRows, writeTokenizedDataset } from './tokenized-export.ts';
import type { DpoJob, SftJob } from './trainer-backend.ts';

export interface ExportedJob {
  /** The checkpoint the external trainer starts from. */
  modelDir: string;
  /** Token count of each row (a DPO pair counts chosen + rejected). */
  rowLengths: number[];
}

/** SFT/RFT job → `dataDir`; a new model is saved to `initialModelDir` once (a rerun reuses it). */
export function exportSftJob(engine: Engine, job: SftJob, dataDir: string, initialModelDir: string) {
  const from = job.from;
  const modelDir = from.kind === 'checkpoint' ? from.dir : initialModelDir;
  return withModel(
    engine,
    () =>
      from.kind === 'checkpoint'
        ? openModel(engine, from.dir, { grads: false })
        : newModel(engine, from.shape, readTokenizer(from.tokenizerFile), from.seed, { grads: false }),
    (policy): ExportedJob => {
      if (from.kind === 'new' && !existsSync(join(modelDir, 'model.safetensors'))) saveModel(modelDir, policy);
      const rows = sftTokenizedRows(policy, job.trajectories);
      if (!rows.some((row) => row.labels.some((label) => label !== -100))) {
        throw new TrainingError(
          `${job.stage} step 0: ${job.dataSource ?? ''} no assistant tokens to learn from ` +
            `in ${rows.length} trajectories`,
        );
      }
      writeTokenizedDataset(dataDir, 'sft', rows, policy, modelDir);
      const { iteration, seed, hyper, stage, lora } = job;
      writeJobFile(dataDir, { kind: 'sft', stage, iteration, seed, model: modelDir, hyper, ...(lora ? { lora } : {}) });
      return { modelDir, rowLengths: rows.map((row) => row.input_ids.length) };
    },
  );
}

/** DPO job → `dataDir`, with the reference log-probs (stored in job.refLogProbsFile, resumable). */
export function exportDpoJob(engine: Engine, job: DpoJob, dataDir: string) {
  if (job.pairs.length === 0) throw new TrainingError(`dpo (iteration ${job.iteration}) step 0: no pairs to train on`);
  return withModel(
    engine,
    () => openModel(engine, job.from.dir, { grads: false }),
    (policy): ExportedJob => {
      const { refLogProbsFile, onReferenceProgress } = job;
      const rows = dpoTokenizedRows(policy, job.pairs, refLogProbsFile, REFERENCE_BATCH_PAIRS, onReferenceProgress);
      writeTokenizedDataset(dataDir, 'dpo', rows, policy, job.from.dir);
      const { iteration, seed, hyper, settings, lora } = job;
      const model = job.from.dir;
      writeJobFile(dataDir, {
        kind: 'dpo', stage: 'dpo', iteration, seed, model, hyper, dpo: settings, ...(lora ? { lora } : {}),
      });
      return {
        modelDir: job.from.dir,
        rowLengths: rows.map((row) => row.chosen_input_ids.length + row.rejected_input_ids.length),
      };
    },
  );
}

function readTokenizer(file: string): Tokenizer {
  return Tokenizer.fromJSON(JSON.parse(readFileSync(file, 'utf8')));
}

// SFT stage: behaviour cloning on expert trajectories (loss on assistant tokens only) through the trainer.
// Starts from a committed base (copied, no training), a checkpoint (fine-tuned), or a new model over a
// tokenizer learned here. Skipped when its checkpoint exists; a killed run resumes inside the trainer.
import { existsSync } from 'node:fs';
import type { Trajectory } from '../../data/schemas.ts';
import { writeJsonAtomic } from '../../data/jsonl.ts';
import type { EnvModule } from '../../env/types.ts';
import { checkpointExists } from '../../model/checkpoint.ts';
import { openModel, saveModel, withModel, type ModelShape } from '../../model/policy-model.ts';
import { trainTokenizer } from '../../model/tokenizer.ts';
import type { LoraOptions } from '../../model/lora-adapter.ts';
import type { TrainHyper } from '../../train/trainer.ts';
import type { ModelSource, TrainResult } from '../../train/trainer-backend.ts';
import { withLora } from '../config.ts';
import type { PipelineDeps } from '../deps.ts';
import { withTrainBar } from '../progress.ts';
import { undoOnRefusal } from './refusal.ts';

export type SftStart =
  /** A finished SFT checkpoint: copied as the stage's model, nothing trained (model.base). */
  | { kind: 'base'; dir: string }
  /** Fine-tune this checkpoint. */
  | { kind: 'checkpoint'; dir: string }
  /** A new model; its tokenizer learns from `corpus` unless `tokenizerFile` already holds one (resume). */
  | { kind: 'new'; shape: ModelShape; vocab: number; corpus: () => string[]; tokenizerFile: string };

export interface SftStageOptions {
  stage: 'sft' | 'rft';
  trajectories: readonly Trajectory[];
  /** The data's file, named in errors. */
  dataSource?: string;
  start: SftStart;
  hyper: TrainHyper;
  /** Train a LoRA adapter over the start checkpoint instead of every weight. */
  lora?: LoraOptions | undefined;
  seed: number;
  stageDir: string;
  outModel: string;
  logFile: string;
}

/** The text a new tokenizer learns from: the env's prompts, its vocabulary corpus and expert episodes. */
export function tokenizerCorpus(module: EnvModule, experts: readonly Trajectory[]): string[] {
  const texts = [
    module.harness.instruction,
    module.harness.invalidFormatMessage,
    ...module.harness.iclExample.map((m) => m.content),
  ];
  for (const trajectory of experts) for (const message of trajectory.messages) texts.push(message.content);
  return [...texts, ...(module.corpus?.() ?? [])];
}

/** Returns null when the checkpoint was already there (or copied from the base), else the training result. */
export async function sftStage(options: SftStageOptions, deps: PipelineDeps): Promise<TrainResult | null> {
  if (checkpointExists(options.outModel)) return null;
  const { start } = options;
  if (start.kind === 'base') {
    deps.log(`SFT: starting from the base checkpoint ${start.dir}`);
    await withModel(
      deps.engine,
      () => openModel(deps.engine, start.dir, { grads: false }),
      (policy) => saveModel(options.outModel, policy),
    );
    return null;
  }
  // a refusal (no data, NaN) removes the folder and the tokenizer this call created
  const created = [options.stageDir, ...(start.kind === 'new' ? [start.tokenizerFile] : [])];
  return undoOnRefusal(created, () => train(options, start, deps));
}

function train(options: SftStageOptions, start: Exclude<SftStart, { kind: 'base' }>, deps: PipelineDeps) {
  const from = modelSource(start, options.seed);
  return withTrainBar(deps, options.stage.toUpperCase(), (callbacks) =>
    deps.trainer.sft({
      stage: options.stage,
      iteration: 0,
      trajectories: options.trajectories,
      from,
      hyper: options.hyper,
      ...withLora(options.lora),
      seed: options.seed,
      outModel: options.outModel,
      stageDir: options.stageDir,
      logFile: options.logFile,
      ...(options.dataSource === undefined ? {} : { dataSource: options.dataSource }),
      ...callbacks,
    }),
  );
}

function modelSource(start: Exclude<SftStart, { kind: 'base' }>, seed: number): ModelSource {
  if (start.kind === 'checkpoint') return { kind: 'checkpoint', dir: start.dir };
  // a resumed run reuses the tokenizer it learned before the kill
  if (!existsSync(start.tokenizerFile)) {
    writeJsonAtomic(start.tokenizerFile, trainTokenizer(start.corpus(), { vocabSize: start.vocab }).toJSON());
  }
  return { kind: 'new', shape: start.shape, tokenizerFile: start.tokenizerFile, seed };
}

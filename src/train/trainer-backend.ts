// The Trainer seam: how SFT and DPO stages hand their work to an engine. A trainer takes a dataset and a
// starting checkpoint, writes a checkpoint and a train log, and resumes an interrupted job from its state
// folder. `local` (our engine, in process) is the one today; an external command (accelerate, TRL) plugs
// in here without any stage changing.
import type { Pair, Trajectory } from '../data/schemas.ts';
import type { ModelShape } from '../model/policy-model.ts';
import type { DpoSettings } from './dpo-step.ts';
import type { TrainHyper, TrainProgress } from './trainer.ts';

/** Where a job's starting weights come from. */
export type ModelSource =
  | { kind: 'checkpoint'; dir: string }
  /** A new model of this shape over a tokenizer file (tokenizer.json of eto's own BPE). */
  | { kind: 'new'; shape: ModelShape; tokenizerFile: string; seed: number };

export interface TrainCallbacks {
  onStart?(totalSteps: number, resumedAfter: number): void;
  onProgress?(progress: TrainProgress): void;
}

interface JobBase extends TrainCallbacks {
  iteration: number;
  hyper: TrainHyper;
  /** Seed of the batch order (and of a new model's weights). */
  seed: number;
  /** The finished checkpoint; written only when training ends with finite numbers. */
  outModel: string;
  /** The job's folder: resumable state lives in `<stageDir>/train-state` until the checkpoint is written. */
  stageDir: string;
  /** train-log.jsonl, one line per step; appears with the checkpoint. */
  logFile: string;
  /** Where the data came from, for error messages (a file path), when known. */
  dataSource?: string;
}

export interface SftJob extends JobBase {
  stage: 'sft' | 'rft';
  trajectories: readonly Trajectory[];
  from: ModelSource;
}

export interface DpoJob extends JobBase {
  pairs: readonly Pair[];
  /** The policy to start from; it is also the frozen reference. */
  from: { kind: 'checkpoint'; dir: string };
  /** Reference log-probs, computed once before the first update and stored (resumable). */
  refLogProbsFile: string;
  settings: DpoSettings;
  onReferenceProgress?(done: number, total: number): void;
}

export interface TrainResult {
  steps: number;
  lastLoss: number;
}

export interface Trainer {
  /** A short name recorded in the run's provenance (e.g. `local`). */
  readonly name: string;
  sft(job: SftJob): Promise<TrainResult>;
  dpo(job: DpoJob): Promise<TrainResult>;
}

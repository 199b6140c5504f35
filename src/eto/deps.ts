// What the pipeline needs from the outside world, built in cli/ (or by tests): logging, progress bars,
// the clock, the engine, env loading, and the two backends every stage goes through — the policy that
// plays episodes and the trainer that runs SFT/DPO. Nothing in src/eto reads argv, env vars or the clock.
import type { PolicyFactory } from '../agent/policy.ts';
import type { Engine } from '../engine/index.ts';
import type { EnvModule } from '../env/types.ts';
import type { Trainer } from '../train/trainer-backend.ts';

export interface ProgressBar {
  /** `done` of the bar's total; `info` shows beside it (e.g. success rate, loss). */
  update(done: number, info?: string): void;
  stop(): void;
}

/** Where and how a run was made, recorded in summary.json (filled in by cli/). */
export interface RunProvenance {
  etoVersion: string;
  /** The git commit of the eto checkout, when it is one. */
  gitCommit?: string;
  /** The command line as typed (argv after `node`). */
  command: string[];
  node: string;
  engineBackend: string;
  threads: number;
}

export interface PipelineDeps {
  log(message: string): void;
  startProgress(label: string, total: number, unit: string): ProgressBar;
  /** Milliseconds, for wall times in the summary. */
  now(): number;
  engine: Engine;
  loadEnv(name: string): Promise<EnvModule>;
  /** Opens the policy of a checkpoint dir for exploration and evaluation. */
  policies: PolicyFactory;
  trainer: Trainer;
  provenance?: RunProvenance;
}

/** Deps that print nothing (tests). */
export function silentProgress(): ProgressBar {
  return { update: () => {}, stop: () => {} };
}

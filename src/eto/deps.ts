// What the pipeline needs from the outside world, built in cli/ (or by tests): logging, progress bars,
// the clock, the engine and env loading. Nothing in src/eto reads argv, env vars or the clock directly.
import type { Engine } from '../engine/index.ts';
import type { EnvModule } from '../env/types.ts';

export interface ProgressBar {
  /** `done` of the bar's total; `info` shows beside it (e.g. success rate, loss). */
  update(done: number, info?: string): void;
  stop(): void;
}

export interface PipelineDeps {
  log(message: string): void;
  startProgress(label: string, total: number, unit: string): ProgressBar;
  /** Milliseconds, for wall times in the summary. */
  now(): number;
  engine: Engine;
  loadEnv(name: string): Promise<EnvModule>;
}

/** Deps that print nothing (tests). */
export function silentProgress(): ProgressBar {
  return { update: () => {}, stop: () => {} };
}

// Progress bars around stages, through the deps (the CLI draws them on stderr; tests draw nothing).
import type { EpisodeProgress } from '../agent/batch-loop.ts';
import type { TrainCallbacks } from '../train/trainer-backend.ts';
import type { PipelineDeps, ProgressBar } from './deps.ts';

export function withBar<T>(
  deps: PipelineDeps,
  label: string,
  total: number,
  unit: string,
  fn: (bar: ProgressBar) => T,
): T {
  const bar = deps.startProgress(label, total, unit);
  try {
    return fn(bar);
  } finally {
    bar.stop();
  }
}

export async function withEpisodeBar<T>(
  deps: PipelineDeps,
  label: string,
  total: number,
  fn: (onProgress: (p: EpisodeProgress) => void) => Promise<T>,
): Promise<T> {
  const bar = deps.startProgress(label, total, 'episodes');
  try {
    return await fn((p) =>
      bar.update(p.finished, `success ${p.finished === 0 ? 0 : Math.round((100 * p.successes) / p.finished)}%`),
    );
  } finally {
    bar.stop();
  }
}

/** Training callbacks that draw a steps bar, opened when the trainer knows its plan. */
export async function withTrainBar<T>(
  deps: PipelineDeps,
  label: string,
  fn: (callbacks: Required<TrainCallbacks>) => Promise<T>,
): Promise<T> {
  let bar: ProgressBar | undefined;
  try {
    return await fn({
      onStart: (totalSteps, resumedAfter) => {
        bar = deps.startProgress(label, totalSteps, 'steps');
        bar.update(resumedAfter);
      },
      onProgress: (p) => bar?.update(p.step, `loss ${p.loss.toFixed(4)}`),
    });
  } finally {
    bar?.stop();
  }
}

// Learning-rate schedules: linear warm-up, then cosine decay to `minRatio`·peak or constant.
// Steps are 1-based, as in the train log.

export interface ScheduleOptions {
  kind: 'cosine' | 'constant';
  peak: number;
  totalSteps: number;
  warmupRatio: number;
  /** Cosine floor as a fraction of the peak (0.1 in the feasibility runs). */
  minRatio: number;
}

export function learningRate(step: number, options: ScheduleOptions): number {
  const warmup = Math.floor(options.warmupRatio * options.totalSteps);
  if (warmup > 0 && step <= warmup) return (options.peak * step) / warmup;
  if (options.kind === 'constant') return options.peak;
  const decaySteps = Math.max(1, options.totalSteps - warmup);
  const progress = Math.min(1, (step - warmup) / decaySteps);
  const cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
  return options.peak * (options.minRatio + (1 - options.minRatio) * cosine);
}

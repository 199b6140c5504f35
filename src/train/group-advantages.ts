// GRPO advantages as pure functions of episode rewards grouped by task (no model in here).
// Each group holds the G rollouts of one task; A_i = (r_i − mean(group)) / (std(group) + eps), with the population
// std (divide by G, as verl's `norm_adv_by_std_in_grpo`), or A_i = r_i − mean(group) for 'mean-only' (Dr.GRPO:
// dividing by the std up-weights nearly-solved and nearly-failed tasks, which biases the gradient).
// A group whose rewards are all equal has A = 0 everywhere: it costs a forward/backward and teaches nothing, so
// dynamic sampling (DAPO) drops it; `zeroVarianceGroups` / `keepInformativeGroups` report and skip such groups.

export type AdvantageNormalize = 'std' | 'mean-only';

export interface NormalizeOptions {
  /** 'std' (GRPO, default) or 'mean-only' (Dr.GRPO) */
  normalize?: AdvantageNormalize;
  /** added to the std so a zero-variance group gives 0, not NaN (default 1e-6, as verl) */
  eps?: number;
}

const DEFAULT_EPS = 1e-6;

/** Mean and population std (÷ n, not n − 1) of the values. */
export function meanAndStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) throw new RangeError('meanAndStd: empty group');
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += ((values[i] as number) - mean) ** 2;
  return { mean, std: Math.sqrt(squares / n) };
}

/** (G) advantages of one group's (G) values. A singleton group gives 0 (its value is its own mean). */
export function normalizeInGroup(values: ArrayLike<number>, options: NormalizeOptions = {}): Float64Array {
  const eps = options.eps ?? DEFAULT_EPS;
  if (!(eps >= 0)) throw new RangeError(`normalizeInGroup: eps must be ≥ 0, got ${eps}`);
  const { mean, std } = meanAndStd(values);
  const scale = options.normalize === 'mean-only' ? 1 : std + eps;
  const out = new Float64Array(values.length);
  // all-equal values give exactly 0 even with eps = 0 (0 / 0 would be NaN); tested exactly, not by std === 0,
  // because the float mean of equal values can be an ulp off them, which 1/eps would blow up to ~1e-10
  if (allEqual(values)) return out;
  for (let i = 0; i < values.length; i++) out[i] = ((values[i] as number) - mean) / scale;
  return out;
}

/** Advantages of every group: groups[g] is (G_g) episode rewards, the result (G_g) advantages per group. */
export function groupAdvantages(groups: readonly ArrayLike<number>[], options: NormalizeOptions = {}): Float64Array[] {
  return groups.map((rewards) => normalizeInGroup(rewards, options));
}

/** Indices of the groups whose rewards all equal the first one (zero variance: every advantage is 0). */
export function zeroVarianceGroups(groups: readonly ArrayLike<number>[]): number[] {
  const indices: number[] = [];
  groups.forEach((rewards, g) => {
    if (allEqual(rewards)) indices.push(g);
  });
  return indices;
}

/** Dynamic sampling: splits groups into those with some reward variance (kept) and the rest (skipped). */
export function keepInformativeGroups<T>(
  groups: readonly T[],
  rewardsOf: (group: T) => ArrayLike<number>,
): { kept: T[]; skipped: T[] } {
  const flat = new Set(zeroVarianceGroups(groups.map(rewardsOf)));
  return { kept: groups.filter((_, g) => !flat.has(g)), skipped: groups.filter((_, g) => flat.has(g)) };
}

function allEqual(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}

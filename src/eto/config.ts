// RunConfig: every knob of an ETO run, validated with zod. Each leaf has a CLI flag named after its
// path (`dpo.beta` → `--dpo-beta`, `seed` → `--seed`), so errors can name the flag the user typed.
import { z } from 'zod';
import { ConfigError } from '../errors.ts';

const positive = z.number().finite().positive();
const fraction = z.number().finite().min(0).max(1);
const count = z.number().int().min(0);

const TrainSchema = z.object({
  lr: positive,
  epochs: positive,
  /** Padded tokens per optimizer step (items × longest item); the feasibility runs used ~2k for SFT. */
  batchTokens: z.number().int().min(16),
  schedule: z.enum(['cosine', 'constant']),
  warmupRatio: fraction,
  minLrRatio: fraction,
  weightDecay: z.number().finite().min(0),
  clip: positive,
  /** Save a resumable training state every this many steps. */
  checkpointEvery: z.number().int().min(1),
});

export const RunConfigSchema = z.object({
  env: z.string().min(1),
  preset: z.enum(['smoke', 'default', 'paper']),
  seed: z.number().int().min(0),
  out: z.string().min(1),
  /** ETO iterations (explore → pairs → DPO → evaluate dev). */
  iterations: z.number().int().min(0).max(20),
  baselines: z.array(z.enum(['rft'])),
  /** Engine worker threads (0 = all cores). */
  threads: z.number().int().min(0),
  model: z.object({
    /** Size preset for a model trained from scratch. */
    size: z.enum(['tiny', 'small', 'base']),
    /** Context window (max positions) of a new model. */
    context: z.number().int().min(64),
    /** Tokenizer vocabulary size of a new model. */
    vocab: z.number().int().min(260),
    /** Overrides of the size preset for a new model (0 = the preset's value). */
    hidden: count,
    layers: count,
    heads: count,
    intermediate: count,
    /** Start from this SFT checkpoint (HF dir) instead of training SFT; '' = train SFT here. */
    base: z.string(),
  }),
  data: z.object({
    /** Training tasks with expert trajectories (the first N of the train split). */
    expertTasks: count,
    /**
     * Seed of the scripted expert (its thought wording). Separate from the run seed so that runs with other
     * seeds pair against the very expert data the SFT base was trained on.
     */
    expertSeed: z.number().int().min(0).default(1),
    /** Training tasks explored per iteration (the first N of the expert tasks). */
    exploreTasks: count,
    devTasks: count,
    /** Tasks per test split (seen / unseen / test). */
    testTasks: count,
    /** Step cap lower than the env's own (0 = the env's cap). */
    maxSteps: count,
  }),
  sft: TrainSchema,
  dpo: TrainSchema.extend({
    beta: positive,
    loss: z.enum(['sigmoid', 'ipo']),
    /** Weight of the per-token NLL on the chosen side (IPR); 0 = plain ETO. */
    nllWeight: z.number().finite().min(0),
    pairKind: z.enum(['trajectory', 'step']),
  }),
  explore: z.object({
    temperature: z.number().finite().min(0),
    topP: z.number().finite().gt(0).max(1),
    maxNewTokens: z.number().int().min(1),
    /** Episodes played at once (one batched sampling pass per turn). */
    batch: z.number().int().min(1),
    /** One-shot example in the policy's context (ETO: yes). */
    example: z.boolean(),
  }),
  eval: z.object({
    maxNewTokens: z.number().int().min(1),
    batch: z.number().int().min(1),
  }),
});
export type RunConfig = z.infer<typeof RunConfigSchema>;

/** `dpo.nllWeight` → `--dpo-nll-weight`. */
export function flagName(path: readonly PropertyKey[]): string {
  return '--' + path.map((part) => String(part).replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())).join('-');
}

/** Validates a config; the first problem becomes a ConfigError naming the flag. */
export function validateRunConfig(value: unknown): RunConfig {
  const parsed = RunConfigSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigError(flagName(issue?.path ?? []), issue?.message ?? 'invalid value');
}

/** Every leaf path of the config (for building CLI flags). */
export function configLeaves(config: Record<string, unknown>, prefix: string[] = []): { path: string[]; value: unknown }[] {
  return Object.entries(config).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? configLeaves(value as Record<string, unknown>, [...prefix, key])
      : [{ path: [...prefix, key], value }],
  );
}

/** Sets a leaf by path on a deep copy. */
export function withValue<T>(config: T, path: readonly string[], value: unknown): T {
  const copy = structuredClone(config) as Record<string, unknown>;
  let node = copy;
  path.slice(0, -1).forEach((key) => {
    node = node[key] as Record<string, unknown>;
  });
  node[path.at(-1) as string] = value;
  return copy as T;
}

// RunConfig: every knob of an ETO run, validated with zod. Each leaf has a CLI flag named after its
// path (`dpo.beta` → `--dpo-beta`, `seed` → `--seed`), so errors can name the flag the user typed.
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { LORA_TARGETS, type LoraOptions } from '../model/lora-adapter.ts';
import { OpenAiPolicyOptionsSchema } from '../policy/openai-options.ts';

const positive = z.number().finite().positive();
const fraction = z.number().finite().min(0).max(1);
const count = z.number().int().min(0);

// Every field's `.describe()` text is its flag's --help line (src/cli/config-flags.ts); a section's
// description prefixes its fields' lines (`SFT: peak learning rate`).
const TrainSchema = z.object({
  lr: positive.describe('peak learning rate'),
  epochs: positive.describe('epochs over the data (fractions allowed)'),
  // the feasibility runs used ~2k padded tokens per SFT step
  batchTokens: z.number().int().min(16).describe('padded tokens per optimizer step (items × longest item)'),
  schedule: z.enum(['cosine', 'constant']).describe('learning-rate schedule after a linear warm-up: cosine | constant'),
  warmupRatio: fraction.describe('warm-up fraction of the steps'),
  minLrRatio: fraction.describe('cosine floor as a fraction of the peak'),
  weightDecay: z.number().finite().min(0).describe('AdamW weight decay'),
  clip: positive.describe('gradient-norm clip'),
  checkpointEvery: z.number().int().min(1).describe('save a resumable training state every N steps'),
});

/** GRPO and GiGPO (the RL baselines): rounds of grouped rollouts from the current policy, then a clipped update. */
const RlSchema = TrainSchema.extend({
  rounds: z.number().int().min(1).describe('rounds of rollouts → update (each from the policy the last made)'),
  tasks: z.number().int().min(1).describe('training tasks per round (rollouts per round = tasks × group size)'),
  groupSize: z.number().int().min(2).describe('rollouts per task: the group G'),
  temperature: z.number().finite().gt(0).describe('rollout sampling temperature'),
  clipLow: fraction.describe('lower clip range ε_low of the ratio'),
  clipHigh: z.number().finite().min(0).describe('upper clip range ε_high (DAPO clip-higher: 0.28)'),
  beta: z.number().finite().min(0).describe('k3 KL weight to the SFT policy (0 = no reference)'),
  normalize: z.enum(['std', 'mean-only']).describe('group advantage: std (GRPO) | mean-only (Dr.GRPO)'),
  omega: z.number().finite().min(0).describe('GiGPO: weight ω of the step-level advantage'),
  gamma: fraction.describe('GiGPO: discount γ of the step returns'),
  dynamicSampling: z.boolean().default(true)
    .describe('skip task groups whose advantages are all 0 (DAPO): true | false'),
});

/** RL settings of every preset (and of run configs written before the section existed). */
export const RL_DEFAULTS: z.infer<typeof RlSchema> = {
  // one round of 50 tasks × 4 = 200 rollouts: the default preset's ETO explores 200 tasks once
  rounds: 1, tasks: 50, groupSize: 4, temperature: 0.7,
  lr: 5e-5, epochs: 1, batchTokens: 16384, schedule: 'constant', warmupRatio: 0, minLrRatio: 1, weightDecay: 0,
  clip: 1, checkpointEvery: 20, clipLow: 0.2, clipHigh: 0.28, beta: 0.01, normalize: 'std', omega: 1, gamma: 0.95,
  dynamicSampling: true,
};

/** Who plays the episodes: the checkpoints in process (`local`) or an OpenAI-compatible server. */
export const PolicyConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local').describe('the checkpoints, in this process') }),
  OpenAiPolicyOptionsSchema.extend({ kind: z.literal('openai').describe('an OpenAI-compatible server') }),
]);
export type PolicyConfig = z.infer<typeof PolicyConfigSchema>;

export const RunConfigSchema = z.object({
  env: z.string().min(1).describe('environment (`eto env list`): alfworld | webshop | sciworld'),
  preset: z.enum(['smoke', 'default', 'paper']).describe('the preset the run started from'),
  seed: z.number().int().min(0).describe('seed for model init, shuffling and sampling (not the expert wording)'),
  out: z.string().min(1).describe('run directory'),
  iterations: z.number().int().min(0).max(20).describe('ETO iterations (explore → pairs → DPO → evaluate)'),
  baselines: z
    .array(z.enum(['rft', 'grpo', 'gigpo']))
    .describe('baselines trained and evaluated beside ETO, comma-separated: rft, grpo, gigpo'),
  threads: z.number().int().min(0).describe('engine worker threads (0 = all cores)'),
  engine: z
    .enum(['auto', 'native', 'wasm'])
    .describe('compute engine: auto (native where its addon is built, else WebAssembly) | native | wasm'),
  model: z.object({
    size: z
      .enum(['tiny', 'small', 'base'])
      .describe('size preset of a model trained from scratch: tiny | small | base'),
    context: z.number().int().min(64).describe('context window (positions) of a new model'),
    vocab: z.number().int().min(260).describe('BPE vocabulary size of a new model'),
    hidden: count.describe('hidden size of a new model (0 = the size preset)'),
    layers: count.describe('layers of a new model (0 = the size preset)'),
    heads: count.describe('attention heads of a new model (0 = the size preset; KV heads = heads)'),
    intermediate: count.describe('MLP width of a new model (0 = the size preset)'),
    base: z.string().describe("start from this SFT checkpoint dir instead of training SFT ('' = train SFT here)"),
    init: z
      .string()
      .default('')
      .describe("fine-tune this checkpoint (an imported HF chat model or an eto one) in SFT ('' = a new model)"),
  }),
  data: z.object({
    expertTasks: count.describe('training tasks with expert trajectories (SFT data, chosen side of pairs)'),
    // separate from the run seed so that runs with other seeds pair against the expert data the base saw
    expertSeed: z.number().int().min(0).default(1).describe("seed of the scripted expert's thought wording"),
    exploreTasks: count.describe('training tasks explored per iteration (at most data.expertTasks)'),
    devTasks: count.describe('dev tasks (choose the best iteration)'),
    testTasks: count.describe('tasks per test split (seen / unseen / test)'),
    maxSteps: count.describe("step cap below the env's own (0 = the env's cap)"),
  }),
  lora: z.object({
    rank: count.describe('LoRA rank: train an adapter over frozen weights in SFT, RFT and DPO (0 = every weight)'),
    alpha: positive.describe('LoRA alpha (the adapter is scaled by alpha / rank)'),
    dropout: z.number().finite().min(0).lt(1).describe("dropout on the adapter's input (local trainer: 0 only)"),
    targets: z.array(z.enum(LORA_TARGETS)).min(1)
      .describe(`projections that get an adapter, comma-separated: ${LORA_TARGETS.join(', ')}`),
  }).describe('LoRA'),
  sft: TrainSchema.describe('SFT'),
  dpo: TrainSchema.extend({
    beta: positive.describe('β (> 0): strength of the reference constraint'),
    loss: z.enum(['sigmoid', 'ipo']).describe('loss: sigmoid (ETO) | ipo'),
    nllWeight: z
      .number()
      .finite()
      .min(0)
      .describe('weight of the per-token NLL on the chosen side (IPR); 0 = plain ETO'),
    pairKind: z.enum(['trajectory', 'step']).describe('pairs: trajectory (ETO) | step (first differing turn)'),
  }).describe('DPO'),
  explore: z.object({
    temperature: z.number().finite().min(0).describe('exploration sampling temperature (0 = greedy, as ETO)'),
    topP: z.number().finite().gt(0).max(1).describe('exploration nucleus p'),
    maxNewTokens: z.number().int().min(1).describe('tokens per assistant turn (exploration)'),
    batch: z.number().int().min(1).describe('episodes explored at once (one batched sampling pass per turn)'),
    example: z.boolean().describe("one-shot example in the policy's context (ETO: true): true | false"),
  }),
  eval: z.object({
    maxNewTokens: z.number().int().min(1).describe('tokens per assistant turn (evaluation, greedy)'),
    batch: z.number().int().min(1).describe('episodes evaluated at once'),
  }),
  rl: RlSchema.default(RL_DEFAULTS).describe('RL'),
  // absent = local; set by --policy* flags (src/cli/policy-flags.ts), not by presets
  policy: PolicyConfigSchema.optional().describe('policy backend that plays exploration and evaluation'),
});
export type RunConfig = z.infer<typeof RunConfigSchema>;

/** The LoRA settings a trainer gets, or undefined for full fine-tuning (rank 0). */
export function loraOptions(config: Pick<RunConfig, 'lora'>): LoraOptions | undefined {
  return config.lora.rank === 0 ? undefined : { ...config.lora };
}

/** `{ lora }` to spread into a job, or nothing for full fine-tuning. */
export function withLora(lora: LoraOptions | undefined): { lora?: LoraOptions } {
  return lora ? { lora } : {};
}

/** `dpo.nllWeight` → `--dpo-nll-weight`. */
export function flagName(path: readonly PropertyKey[]): string {
  return '--' + path.map((part) => String(part).replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())).join('-');
}

/** Validates a config; the first problem becomes a ConfigError naming the flag. */
export function validateRunConfig(value: unknown): RunConfig {
  const parsed = RunConfigSchema.safeParse(value);
  if (parsed.success) {
    const { base, init } = parsed.data.model;
    if (base !== '' && init !== '') {
      throw new ConfigError('--model-init', `${init}: give --model-init (train SFT from it) or --model-base ` +
        `(${base}: use it as the SFT policy), not both`);
    }
    return parsed.data;
  }
  const issue = parsed.error.issues[0];
  throw new ConfigError(flagName(issue?.path ?? []), issue?.message ?? 'invalid value');
}

/** A leaf field of the schema: its path and its help text (the section's description, then the field's). */
export interface ConfigField {
  path: string[];
  help: string | undefined;
}

/** Every leaf field of RunConfigSchema, in schema order; optional sections (policy) have flags of their own. */
export function configFields(schema: z.ZodType = RunConfigSchema, prefix: string[] = [], section = ''): ConfigField[] {
  if (schema instanceof z.ZodOptional) return [];
  const inner = schema instanceof z.ZodDefault ? schema.unwrap() : schema;
  if (!(inner instanceof z.ZodObject)) {
    return [{ path: prefix, help: schema.description === undefined ? undefined : section + schema.description }];
  }
  const label = prefix.length > 0 && schema.description !== undefined ? `${schema.description}: ` : section;
  return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, field]) =>
    configFields(field, [...prefix, key], label),
  );
}

/** Every leaf path of the config (for building CLI flags). */
export function configLeaves(
  config: Record<string, unknown>,
  prefix: string[] = [],
): { path: string[]; value: unknown }[] {
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

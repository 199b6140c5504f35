// The three run presets. smoke: the whole pipeline in well under 90 s (tests); default: what `npm start`
// runs (ALFWorld, from the committed SFT base, minutes); paper: ETO's split sizes (hours).
// Numbers follow feasibility.md: SFT needs thousands of ~2k-token steps; DPO β 0.5, lr ~1e-4 + NLL was safe.
import { RL_DEFAULTS, type RunConfig } from './config.ts';

export type PresetName = RunConfig['preset'];

const sft: RunConfig['sft'] = {
  lr: 2e-3, epochs: 7, batchTokens: 2048, schedule: 'cosine', warmupRatio: 0.05, minLrRatio: 0.1,
  weightDecay: 0.1, clip: 1, checkpointEvery: 200,
};
const dpo: RunConfig['dpo'] = {
  lr: 1e-4, epochs: 2, batchTokens: 16384, schedule: 'constant', warmupRatio: 0.1, minLrRatio: 1,
  weightDecay: 0, clip: 1, checkpointEvery: 20, beta: 0.5, loss: 'sigmoid', nllWeight: 1, pairKind: 'trajectory',
};

const defaultPreset: RunConfig = {
  // one ETO iteration, as the paper does for ALFWorld; task counts sized for ~10 minutes on 2 cores
  env: 'alfworld', preset: 'default', seed: 1, out: 'runs/default', iterations: 1, baselines: [], threads: 0, engine: 'auto',
  // feasibility.md's 0.36M shape (d96/L3/h3), which reached 62%/61% after ~3.5k SFT steps of ~2k tokens
  model: {
    size: 'small', context: 1024, vocab: 1024, hidden: 96, layers: 3, heads: 3, intermediate: 256,
    base: baseCheckpointFor('alfworld'), init: '',
  },
  data: { expertTasks: 2000, expertSeed: 1, exploreTasks: 200, devTasks: 30, testTasks: 60, maxSteps: 30 },
  // PEFT's defaults for Llama (q and v); rank 0 trains every weight, as the paper does
  lora: { rank: 0, alpha: 16, dropout: 0, targets: ['q_proj', 'v_proj'] },
  sft,
  dpo,
  explore: { temperature: 0, topP: 1, maxNewTokens: 64, batch: 64, example: false },
  eval: { maxNewTokens: 64, batch: 64 },
  rl: RL_DEFAULTS,
};

export const runPresets: Record<PresetName, RunConfig> = {
  smoke: {
    ...defaultPreset, preset: 'smoke', out: 'runs/smoke', iterations: 1,
    model: { ...defaultPreset.model, size: 'tiny', context: 1024, vocab: 384, base: '' },
    data: { expertTasks: 12, expertSeed: 1, exploreTasks: 6, devTasks: 3, testTasks: 3, maxSteps: 3 },
    sft: { ...sft, lr: 3e-3, epochs: 2, batchTokens: 2048, checkpointEvery: 3 },
    dpo: { ...dpo, epochs: 1, batchTokens: 8192, checkpointEvery: 1 },
    explore: { ...defaultPreset.explore, maxNewTokens: 12, batch: 8 },
    eval: { maxNewTokens: 12, batch: 8 },
    rl: { ...RL_DEFAULTS, tasks: 3, groupSize: 2, batchTokens: 8192 },
  },
  default: defaultPreset,
  paper: {
    ...defaultPreset, preset: 'paper', out: 'runs/paper', iterations: 2, baselines: ['rft'],
    model: { ...defaultPreset.model, base: '' },
    data: { expertTasks: 3321, expertSeed: 1, exploreTasks: 3321, devTasks: 140, testTasks: 140, maxSteps: 0 },
    sft: { ...sft, epochs: 10 },
  },
};

/** Where `npm run train-base -- --env ENV` puts ENV's committed SFT base; presets with a base use the one of --env. */
export function baseCheckpointFor(env: string): string {
  return `checkpoints/${env}-small-sft`;
}

/** The preset with overrides applied on top (validated by the caller). */
export function presetConfig(name: PresetName): RunConfig {
  return structuredClone(runPresets[name]);
}

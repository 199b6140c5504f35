// RunConfig ⇄ command-line flags: every config leaf gets `--<path-in-kebab-case> <value>` with a
// description; given flags override the preset; validation errors name the flag (ConfigError, exit 2).
import type { Command } from 'commander';
import { ConfigError } from '../errors.ts';
import { configLeaves, flagName, validateRunConfig, withValue, type RunConfig } from '../eto/config.ts';
import { presetConfig, type PresetName } from '../eto/presets.ts';

/** One line of help per config field. */
export const fieldHelp: Record<string, string> = {
  env: 'environment: alfworld | webshop (or any registered env)',
  seed: 'seed for expert data, model init, shuffling and sampling',
  out: 'run directory',
  iterations: 'ETO iterations (explore → pairs → DPO → evaluate dev)',
  threads: 'engine worker threads (0 = all cores)',
  'model.size': 'model size preset when training from scratch: tiny | small | base',
  'model.context': 'context window (positions) of a new model',
  'model.vocab': 'BPE vocabulary size of a new model',
  'model.hidden': 'hidden size of a new model (0 = the size preset)',
  'model.layers': 'layers of a new model (0 = the size preset)',
  'model.heads': 'attention heads of a new model (0 = the size preset; KV heads = heads)',
  'model.intermediate': 'MLP width of a new model (0 = the size preset)',
  'model.base': "start from this SFT checkpoint dir instead of training SFT ('' = train SFT)",
  'data.expertTasks': 'training tasks with expert trajectories (SFT data, chosen side of pairs)',
  'data.expertSeed': "seed of the expert's thought wording (keep the SFT base's; independent of --seed)",
  'data.exploreTasks': 'training tasks explored per iteration',
  'data.devTasks': 'dev tasks (choose the best iteration)',
  'data.testTasks': 'tasks per test split (seen / unseen / test)',
  'data.maxSteps': "step cap below the env's own (0 = the env's cap)",
  'sft.lr': 'SFT peak learning rate',
  'sft.epochs': 'SFT epochs (fractions allowed)',
  'sft.batchTokens': 'SFT padded tokens per optimizer step',
  'sft.schedule': 'SFT schedule: cosine | constant (both with linear warm-up)',
  'sft.warmupRatio': 'SFT warm-up fraction of steps',
  'sft.minLrRatio': 'SFT cosine floor as a fraction of the peak',
  'sft.weightDecay': 'SFT AdamW weight decay',
  'sft.clip': 'SFT gradient-norm clip',
  'sft.checkpointEvery': 'SFT: save a resumable state every N steps',
  'dpo.lr': 'DPO peak learning rate',
  'dpo.epochs': 'DPO epochs over the pairs',
  'dpo.batchTokens': 'DPO padded tokens per step (a pair counts both sides)',
  'dpo.schedule': 'DPO schedule: constant | cosine',
  'dpo.warmupRatio': 'DPO warm-up fraction',
  'dpo.minLrRatio': 'DPO cosine floor',
  'dpo.weightDecay': 'DPO AdamW weight decay',
  'dpo.clip': 'DPO gradient-norm clip',
  'dpo.checkpointEvery': 'DPO: save a resumable state every N steps',
  'dpo.beta': 'DPO β (> 0): strength of the reference constraint',
  'dpo.loss': 'DPO loss: sigmoid (ETO) | ipo',
  'dpo.nllWeight': 'weight of the per-token NLL on chosen (IPR); 0 = plain ETO',
  'dpo.pairKind': 'pairs: trajectory (ETO) | step (first differing turn)',
  'explore.temperature': 'exploration sampling temperature (0 = greedy, as ETO)',
  'explore.topP': 'exploration nucleus p',
  'explore.maxNewTokens': 'tokens per assistant turn (exploration)',
  'explore.batch': 'episodes explored at once',
  'explore.example': 'one-shot example in the context: true | false',
  'eval.maxNewTokens': 'tokens per assistant turn (evaluation, greedy)',
  'eval.batch': 'episodes evaluated at once',
};

const explicit = new Set(['preset', 'baselines']);

/** Adds a flag for each config leaf whose path passes `include`. */
export function addConfigFlags(command: Command, include: (path: string) => boolean = () => true): Command {
  for (const { path, value } of configLeaves(presetConfig('default'))) {
    const key = path.join('.');
    if (explicit.has(key) || !include(key)) continue;
    command.option(`${flagName(path)} <value>`, `${fieldHelp[key] ?? key} (default preset: ${JSON.stringify(value)})`);
  }
  return command;
}

/** The preset with the given flags applied, validated. */
export function buildConfig(preset: string, options: Record<string, unknown>): RunConfig {
  if (!['smoke', 'default', 'paper'].includes(preset)) throw new ConfigError('--preset', `unknown preset "${preset}"; choose smoke, default or paper`);
  let config = presetConfig(preset as PresetName);
  for (const { path, value } of configLeaves(config)) {
    if (explicit.has(path.join('.'))) continue;
    const given = options[optionKey(path)];
    if (given === undefined) continue;
    config = withValue(config, path, parseLike(value, String(given), flagName(path)));
  }
  return validateRunConfig(config);
}

/** commander's camelCase key for a flag: --dpo-nll-weight → dpoNllWeight. */
function optionKey(path: readonly string[]): string {
  const flag = flagName(path).slice(2);
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function parseLike(example: unknown, text: string, flag: string): unknown {
  if (typeof example === 'number') {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) throw new ConfigError(flag, `expected a number, got "${text}"`);
    return value;
  }
  if (typeof example === 'boolean') {
    if (text !== 'true' && text !== 'false') throw new ConfigError(flag, `expected true or false, got "${text}"`);
    return text === 'true';
  }
  return text;
}

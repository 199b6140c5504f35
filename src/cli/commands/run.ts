// `eto run` (the whole ETO pipeline) and `eto train-base` (the committed SFT starting checkpoint).
import { cpSync, existsSync, rmSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError } from '../../errors.ts';
import { getEnv } from '../../env/registry.ts';
import { RunConfigSchema, validateRunConfig, type RunConfig } from '../../eto/config.ts';
import { runEto, type RunOptions } from '../../eto/pipeline.ts';
import { checkBaseCheckpoint, checkInitCheckpoint } from '../../eto/base-checkpoint.ts';
import { baseCheckpointFor } from '../../eto/presets.ts';
import { writeTrainedFor } from '../../model/trained-for.ts';
import { writeReport } from '../../report/index.ts';
import { addConfigFlags, buildConfig } from '../config-flags.ts';
import { createPipelineDeps } from '../pipeline-deps.ts';
import { addTrainerFlags, trainerChoice, type TrainerChoice } from '../trainer-flags.ts';
import { addPolicyFlags, localPolicyOptions, policyConfig, policyFactory } from '../policy-flags.ts';
import type { LocalPolicyOptions } from '../../agent/local-policy.ts';
import { readJson } from '../../data/jsonl.ts';

export function register(program: Command): void {
  const run = program
    .command('run')
    .description('run ETO end to end: expert data → SFT → N × (explore → pairs → DPO → evaluate dev) → evaluate seen/unseen → summary')
    .option('--preset <name>', 'smoke (< 90 s, tests) | default (ALFWorld, minutes) | paper (ETO split sizes, hours)', 'default')
    .option('--resume', 'continue the run in --out (its config.json wins over flags)', false)
    .option('--baselines <list>', 'comma-separated baselines to train and evaluate too: rft, grpo, gigpo', '')
    .option('--allow-other-env-base', 'start from a --model-base that records another env', false);
  addConfigFlags(addPolicyFlags(addTrainerFlags(run))).action(async (options: Record<string, unknown>) => {
    const built = withBaselines(buildConfig(String(options.preset), options), String(options.baselines ?? ''));
    const policy = policyConfig(options);
    const config = policy === undefined ? built : validateRunConfig({ ...built, policy });
    const allowOtherEnvBase = Boolean(options.allowOtherEnvBase);
    const runOptions = { resume: Boolean(options.resume), allowOtherEnvBase };
    await runWithDeps(config, runOptions, trainerChoice(options), localPolicyOptions(options));
  });

  const base = program
    .command('train-base')
    .description('train the SFT starting checkpoint the default preset uses (expert data + SFT from scratch, then copied to --target)')
    .option('--preset <name>', 'preset whose data/model/SFT settings are used', 'default')
    .option('--target <dir>', 'where the checkpoint goes (committed; default: checkpoints/<env>-small-sft)')
    .option('--resume', 'continue an interrupted run in --out', false);
  addConfigFlags(base, (key) => !key.startsWith('dpo.') && !key.startsWith('explore.') && key !== 'iterations').action(async (options: Record<string, unknown>) => {
    const given = buildConfig(String(options.preset), options);
    const config: RunConfig = validateRunConfig({
      ...given,
      out: options.out === undefined ? `runs/train-base-${given.env}-${given.seed}` : given.out,
      iterations: 0,
      baselines: [],
      model: { ...given.model, base: '' },
    });
    await runWithDeps(config, { resume: Boolean(options.resume) });
    const target = options.target === undefined ? baseCheckpointFor(config.env) : String(options.target);
    rmSync(target, { recursive: true, force: true });
    cpSync(`${config.out}/sft/model`, target, { recursive: true });
    writeTrainedFor(target, config.env);
    process.stdout.write(`base checkpoint written to ${target}\n`);
  });
}

function withBaselines(config: RunConfig, list: string): RunConfig {
  const names = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return validateRunConfig({ ...config, baselines: names.length > 0 ? names : config.baselines });
}

export async function runWithDeps(config: RunConfig, runOptions: RunOptions, trainer?: TrainerChoice,
  local?: LocalPolicyOptions): Promise<void> {
  const { resume } = runOptions;
  // check what can be checked before anything is written
  await getEnv(config.env).catch((error: Error) => {
    throw new ConfigError('--env', error.message);
  });
  if (config.model.base !== '' && !(resume && existsSync(`${config.out}/sft/model`))) {
    checkBaseCheckpoint(config.model.base, config.env, runOptions.allowOtherEnvBase);
  }
  if (config.model.init !== '' && !(resume && existsSync(`${config.out}/sft/model`))) {
    checkInitCheckpoint(config.model.init);
  }
  // a resumed run keeps the policy its config.json names (that config wins over flags)
  const storedFile = `${config.out}/config.json`;
  const policy = resume && existsSync(storedFile) ? readJson(storedFile, RunConfigSchema).policy : config.policy;
  const deps = await createPipelineDeps(config.threads, trainer, policyFactory(policy), local, config.engine);
  try {
    await runEto(config, deps, runOptions);
    const report = writeReport(config.out);
    deps.log(`report: ${report}`);
  } finally {
    deps.dispose();
  }
}

// `eto rl --algo grpo|gigpo --model SFT --out DIR`: the RL baselines as a standalone command. The same stage
// the pipeline's `--baselines grpo,gigpo` runs (src/eto/stages/rl.ts): rounds of grouped rollouts from the
// current policy, clipped updates with a KL to --model; OUT/<algo>/round-<r>/ holds each round (resumable).
import type { Command } from 'commander';
import { ConfigError } from '../../errors.ts';
import { budgetLine, rlStage } from '../../eto/stages/rl.ts';
import { addConfigFlags } from '../config-flags.ts';
import { addTrainerFlags, trainerChoice } from '../trainer-flags.ts';
import { checkModelDir, splitNamed, stageConfig, withDeps } from './stage-helpers.ts';

const ALGOS = ['grpo', 'gigpo'] as const;

export function register(program: Command): void {
  const command = program
    .command('rl')
    .description('GRPO or GiGPO from a policy: rounds of G rollouts per task → clipped updates with a KL to it ' +
      '→ OUT/<algo>/round-<r>/model')
    .option('--preset <name>', 'preset the config flags start from: smoke | default | paper', 'default');
  addConfigFlags(command, (key) =>
    ['seed', 'threads', 'engine', 'env', 'data.maxSteps', 'explore.topP', 'explore.maxNewTokens', 'explore.batch',
      'explore.example'].includes(key) || key.startsWith('rl.') || key.startsWith('lora.'))
    .requiredOption('--algo <name>', `algorithm: ${ALGOS.join(' | ')}`)
    .requiredOption('--model <dir>', 'the policy to start from (an SFT checkpoint); also the KL reference')
    .requiredOption('--out <dir>', 'output folder (resumes an interrupted run in the same folder)');
  addTrainerFlags(command).action((options: Record<string, unknown>) => {
    const algo = ALGOS.find((a) => a === options.algo);
    if (!algo) throw new ConfigError('--algo', `expected ${ALGOS.join(' or ')}, got ${JSON.stringify(options.algo)}`);
    const sftModel = String(options.model);
    checkModelDir(sftModel, '--model');
    const flags = Object.fromEntries(Object.entries(options).filter(([key]) => key !== 'algo' && key !== 'model'));
    const config = { ...stageConfig(flags), out: String(options.out) };
    return withDeps(config, async (_, deps) => {
      const module = await deps.loadEnv(config.env);
      const trainSplit = splitNamed(module, undefined, 'train');
      const { policyDir, budget } = await rlStage({ algo, module, trainSplit, sftModel, config }, deps);
      deps.log(`${budgetLine(algo, budget)} → ${policyDir}`);
    }, trainerChoice(options));
  });
}

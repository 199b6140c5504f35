// The pipeline's stages as standalone commands over files: `eto sft`, `eto explore`, `eto eval`,
// `eto pairs`, `eto dpo`. Flags are the RunConfig's; inputs are checked before any output is written.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ETO_STOP_STRINGS } from '../../agent/policy.ts';
import { readJsonl, writeJsonlAtomic } from '../../data/jsonl.ts';
import { PairSchema, TrajectorySchema } from '../../data/schemas.ts';
import { toTrlPreference } from '../../data/export.ts';
import { ConfigError } from '../../errors.ts';
import { getEnv } from '../../env/registry.ts';
import { stageResult } from '../../eval/metrics.ts';
import type { RunConfig } from '../../eto/config.ts';
import { playPolicyStage, splitTasks } from '../../eto/episodes-stage.ts';
import { createLocalPolicy } from '../../agent/local-policy.ts';
import { newModel, openModel, saveModel, withModel } from '../../model/policy-model.ts';
import { buildPairs } from '../../eto/pairs.ts';
import { trainTokenizer } from '../../model/tokenizer.ts';
import { runDpo } from '../../train/dpo.ts';
import { encodePair } from '../../train/encode.ts';
import { computeReferenceLogProbs } from '../../train/reference-logprobs.ts';
import { runSft } from '../../train/sft.ts';
import { clearTrainState, stateDirFor } from '../../train/trainer.ts';
import { addConfigFlags, buildConfig } from '../config-flags.ts';
import { createPipelineDeps } from '../pipeline-deps.ts';
import { checkFreshOutput, checkInputFile, checkModelDir, integerFlag } from './stage-helpers.ts';

type Options = Record<string, unknown>;
const common = (key: string): boolean => key === 'seed' || key === 'threads';

export function register(program: Command): void {
  addConfigFlags(
    program
      .command('sft')
      .description('supervised fine-tuning on trajectories (loss on assistant tokens only) → OUT/model, OUT/train-log.jsonl')
      .requiredOption('--data <file>', 'trajectories JSONL (e.g. from `eto import eto-sharegpt` or `eto env expert`)')
      .requiredOption('--out <dir>', 'output folder')
      .option('--model <dir>', 'start from this checkpoint (default: a new model with a tokenizer trained on the data)'),
    (key) => common(key) || key.startsWith('sft.') || (key.startsWith('model.') && key !== 'model.base'),
  ).action(async (options: Options) => {
    const config = buildConfig('default', omit(options, ['out']));
    checkInputFile(String(options.data), '--data');
    if (options.model !== undefined) checkModelDir(String(options.model), '--model');
    const trajectories = readJsonl(String(options.data), TrajectorySchema);
    const out = String(options.out);
    await withDeps(config, async (deps) => {
      const open = options.model !== undefined
        ? () => openModel(deps.engine, String(options.model))
        : () => newModel(deps.engine, config.model, trainTokenizer(trajectories.flatMap((t) => t.messages.map((m) => m.content)), { vocabSize: config.model.vocab }), config.seed);
      await withModel(deps.engine, open, (policy) => {
        const result = runSft({ stage: 'sft', iteration: 0, ...policy, trajectories, hyper: config.sft, seed: config.seed, stateDir: stateDirFor(out), logFile: join(out, 'train-log.jsonl') });
        saveModel(join(out, 'model'), policy);
        clearTrainState(stateDirFor(out));
        deps.log(`SFT: ${result.steps} steps, last loss ${result.lastLoss.toFixed(4)} → ${join(out, 'model')}`);
      });
    });
  });

  for (const kind of ['explore', 'eval'] as const) {
    addConfigFlags(
      program
        .command(kind)
        .description(kind === 'explore'
          ? 'play training tasks with a model (sampling per --explore-*) → trajectories JSONL (resumes: finished ids are skipped)'
          : 'evaluate a model greedily on a split → trajectories JSONL; prints avg reward, success rate, steps')
        .requiredOption('--env <name>', 'environment')
        .requiredOption('--model <dir>', 'model checkpoint dir')
        .requiredOption('--out <file>', 'trajectories JSONL (appended; existing ids are skipped)')
        .option('--split <name>', 'split to play', kind === 'explore' ? 'train' : 'seen')
        .option('--tasks <n>', 'number of tasks (the first N of the split)', kind === 'explore' ? '100' : '50'),
      (key) => common(key) || key.startsWith(`${kind}.`) || key === 'data.maxSteps' || (kind === 'eval' && key === 'explore.example'),
    ).action(async (options: Options) => {
      const config = buildConfig('default', omit(options, ['out', 'env']));
      const module = await getEnv(String(options.env));
      checkModelDir(String(options.model), '--model');
      const split = String(options.split);
      if (!module.splits().some((s) => s.name === split)) throw new ConfigError('--split', `${module.name} has no split "${split}"`);
      const count = integerFlag('--tasks', String(options.tasks), 0, 1);
      const settings = kind === 'explore' ? config.explore : { ...config.eval, temperature: 0, topP: 1 };
      await withDeps(config, async (deps) => {
        const trajectories = await withModel(deps.engine, () => openModel(deps.engine, String(options.model)), (policy) =>
          playPolicyStage({
            module, file: String(options.out), tasks: splitTasks(module, kind, split, count, config.seed),
            policy: createLocalPolicy(policy.model, policy.tokenizer, String(options.model)),
            act: { temperature: settings.temperature, topP: settings.topP, maxNewTokens: settings.maxNewTokens, stop: ETO_STOP_STRINGS, seed: config.seed },
            withExample: config.explore.example, source: kind, iteration: 0, batch: settings.batch,
            ...(config.data.maxSteps > 0 ? { maxSteps: config.data.maxSteps } : {}),
            onProgress: (p) => {
              if (process.stderr.isTTY) process.stderr.write(`\r${kind}: ${p.finished}/${p.total} episodes, ${p.successes} succeeded`);
            },
          }),
        );
        if (process.stderr.isTTY) process.stderr.write('\n');
        deps.log(JSON.stringify(stageResult(kind, split, trajectories)));
      });
    });
  }

  addConfigFlags(
    program
      .command('pairs')
      .description("build ETO preference pairs: per task, agent reward < expert → (expert, agent); > → flipped; ties dropped")
      .requiredOption('--expert <file>', 'expert trajectories JSONL')
      .requiredOption('--explored <file>', 'explored trajectories JSONL')
      .requiredOption('--out <file>', 'pairs JSONL (written atomically)')
      .option('--format <name>', 'eto (Pair records) | trl (TRL conversational preference: prompt/chosen/rejected)', 'eto'),
    (key) => key === 'dpo.pairKind',
  ).action((options: Options) => {
    const config = buildConfig('default', omit(options, ['out']));
    const format = String(options.format);
    if (format !== 'eto' && format !== 'trl') throw new ConfigError('--format', `expected eto or trl, got "${format}"`);
    checkInputFile(String(options.expert), '--expert');
    checkInputFile(String(options.explored), '--explored');
    const { pairs, stats } = buildPairs(readJsonl(String(options.expert), TrajectorySchema), readJsonl(String(options.explored), TrajectorySchema), { kind: config.dpo.pairKind });
    writeJsonlAtomic(String(options.out), format === 'trl' ? pairs.map(toTrlPreference) : pairs);
    process.stdout.write(JSON.stringify({ pairs: pairs.length, ...stats }) + '\n');
  });

  addConfigFlags(
    program
      .command('dpo')
      .description('DPO on pairs against the frozen starting model (reference log-probs stored once) → OUT/model, OUT/train-log.jsonl')
      .requiredOption('--pairs <file>', 'pairs JSONL (`eto pairs`)')
      .requiredOption('--model <dir>', 'policy to start from; also the reference')
      .requiredOption('--out <dir>', 'output folder (resumes an interrupted run in the same folder)'),
    (key) => common(key) || key.startsWith('dpo.'),
  ).action(async (options: Options) => {
    const config = buildConfig('default', omit(options, ['out']));
    checkInputFile(String(options.pairs), '--pairs');
    checkModelDir(String(options.model), '--model');
    const out = String(options.out);
    if (existsSync(join(out, 'model'))) checkFreshOutput(join(out, 'model'), '--out');
    const pairs = readJsonl(String(options.pairs), PairSchema);
    if (pairs.length === 0) throw new ConfigError('--pairs', `${String(options.pairs)} has no pairs`);
    await withDeps(config, async (deps) => {
      await withModel(deps.engine, () => openModel(deps.engine, String(options.model)), (policy) => {
        const encoded = pairs.map((pair) => encodePair(policy.tokenizer, pair, policy.model.config.maxPositionEmbeddings));
        const reference = computeReferenceLogProbs(policy.model, encoded, join(out, 'ref-logprobs.jsonl'), { batchPairs: 8 });
        const result = runDpo({
          iteration: 1, ...policy, pairs: encoded, reference, settings: { beta: config.dpo.beta, loss: config.dpo.loss, nllWeight: config.dpo.nllWeight },
          hyper: config.dpo, seed: config.seed, stateDir: stateDirFor(out), logFile: join(out, 'train-log.jsonl'),
        });
        saveModel(join(out, 'model'), policy);
        clearTrainState(stateDirFor(out));
        deps.log(`DPO: ${result.steps} steps, last loss ${result.lastLoss.toFixed(4)} → ${join(out, 'model')}`);
      });
    });
  });
}

async function withDeps(config: RunConfig, fn: (deps: Awaited<ReturnType<typeof createPipelineDeps>>) => Promise<void>): Promise<void> {
  const deps = await createPipelineDeps(config.threads);
  try {
    await fn(deps);
  } finally {
    deps.dispose();
  }
}

/** Stage commands use --out/--env for their own files; they are not the RunConfig's. */
function omit(options: Options, keys: string[]): Options {
  return Object.fromEntries(Object.entries(options).filter(([key]) => !keys.includes(key)));
}

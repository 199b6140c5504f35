// The pipeline's stages as standalone commands over files: `eto expert`, `eto sft`, `eto explore`,
// `eto pairs`, `eto dpo`, `eto eval`. Each maps its flags to the options of the stage function the pipeline
// calls (src/eto/stages/), so a stage run alone writes what the pipeline's stage writes. Flags are the
// RunConfig's (`--preset` picks the base values); inputs are checked before any output is written.
import { join } from 'node:path';
import type { Command } from 'commander';
import { readJsonl } from '../../data/jsonl.ts';
import { PairSchema, TrajectorySchema } from '../../data/schemas.ts';
import { ConfigError } from '../../errors.ts';
import { stageResult } from '../../eval/metrics.ts';
import { addConfigFlags } from '../config-flags.ts';
import { addPolicyFlags, localPolicyOptions, policyConfig, policyFactory } from '../policy-flags.ts';
import { addTrainerFlags, trainerChoice } from '../trainer-flags.ts';
import { loraOptions, type RunConfig } from '../../eto/config.ts';
import type { PipelineDeps } from '../../eto/deps.ts';
import { trainFromTokenizedFlags } from './from-tokenized.ts';
import { dpoStage } from '../../eto/stages/dpo.ts';
import { expertStage } from '../../eto/stages/expert.ts';
import { pairStage } from '../../eto/stages/pairs.ts';
import { evalStage, exploreStage } from '../../eto/stages/play.ts';
import { sftStage, tokenizerCorpus, type SftStart } from '../../eto/stages/sft.ts';
import {
  checkFreshOutput,
  checkInputFile,
  checkModelDir,
  integerFlag,
  splitNamed,
  stageConfig,
  withDeps,
} from './stage-helpers.ts';

const MODEL_HELP =
  'model checkpoint dir (with --policy openai the server plays; a checkpoint here still sets the context window)';

type Options = Record<string, unknown>;
const common = (key: string): boolean => key === 'seed' || key === 'threads' || key === 'engine';
/** Flags of the stages that play episodes. */
const playing = (key: string): boolean => common(key) || key === 'env' || key === 'data.maxSteps';

export function register(program: Command): void {
  stageCommand(
    program,
    'expert',
    "the env's scripted expert plays the first data.expertTasks training tasks → trajectories JSONL",
    (key) => key === 'env' || key === 'data.expertTasks' || key === 'data.expertSeed',
  )
    .requiredOption('--out <file>', 'trajectories JSONL (appended; finished ids are kept)')
    .action((options: Options) =>
      withDeps(stageConfig(options), async (config, deps) => {
        const module = await deps.loadEnv(config.env);
        const { trajectories } = expertStage(
          {
            module,
            file: String(options.out),
            split: splitNamed(module, undefined, 'train'),
            count: config.data.expertTasks,
            expertSeed: config.data.expertSeed,
          },
          deps,
        );
        deps.log(JSON.stringify(stageResult('expert', 'train', trajectories)));
      }),
    );

  const sft = stageCommand(
    program,
    'sft',
    'supervised fine-tuning on trajectories (loss on assistant tokens only) → OUT/model, OUT/train-log.jsonl',
    (key) =>
      common(key) ||
      key === 'env' ||
      key.startsWith('sft.') ||
      key.startsWith('lora.') ||
      (key.startsWith('model.') && key !== 'model.base' && key !== 'model.init'),
  )
    .option('--data <file>', 'trajectories JSONL (e.g. from `eto expert` or `eto import eto-sharegpt`)')
    .option('--from-tokenized <dir>', 'instead of --data: a job folder (`eto export sft-tokenized`, --trainer command)')
    .requiredOption('--out <dir>', 'output folder (resumes an interrupted run in the same folder)')
    .option(
      '--model <dir>',
      "start from this checkpoint (default: a new model whose tokenizer learns from --env's texts and the data)",
    );
  addTrainerFlags(sft).action((options: Options) =>
      withDeps(stageConfig(options), async (config, deps) => {
        if (options.fromTokenized !== undefined) return fromTokenized('sft', options, config, deps);
        if (options.data === undefined) throw new ConfigError('--data', 'needed (or --from-tokenized DIR)');
        checkInputFile(String(options.data), '--data');
        if (options.model !== undefined) checkModelDir(String(options.model), '--model');
        const out = String(options.out);
        checkFreshOutput(join(out, 'model'), '--out');
        const trajectories = readJsonl(String(options.data), TrajectorySchema);
        const module = await deps.loadEnv(config.env);
        const start: SftStart =
          options.model !== undefined
            ? { kind: 'checkpoint', dir: String(options.model) }
            : {
                kind: 'new',
                shape: config.model,
                vocab: config.model.vocab,
                corpus: () => tokenizerCorpus(module, trajectories),
                tokenizerFile: join(out, 'tokenizer.json'),
              };
        const result = await sftStage(
          {
            stage: 'sft',
            trajectories,
            dataSource: String(options.data),
            start,
            hyper: config.sft,
            lora: loraOptions(config),
            seed: config.seed,
            stageDir: out,
            outModel: join(out, 'model'),
            logFile: join(out, 'train-log.jsonl'),
          },
          deps,
        );
        deps.log(
          `SFT: ${result?.steps ?? 0} steps, last loss ${result?.lastLoss.toFixed(4) ?? '-'} → ${join(out, 'model')}`,
        );
      }, trainerChoice(options)),
    );

  addPolicyFlags(stageCommand(
    program,
    'explore',
    'ETO iteration k: a model plays data.exploreTasks training tasks, sampling per --explore-* → trajectories JSONL',
    (key) => playing(key) || key.startsWith('explore.') || key === 'data.exploreTasks' || key === 'data.expertTasks',
  ))
    .requiredOption('--model <dir>', MODEL_HELP)
    .requiredOption('--out <file>', 'trajectories JSONL (appended; finished ids are skipped)')
    .option('--iteration <k>', 'ETO iteration: episode ids and the sampling seed', '1')
    .action((options: Options) =>
      withRemotePolicy(options, async (config, deps) => {
        const module = await deps.loadEnv(config.env);
        const { trajectories } = await exploreStage(
          {
            module,
            file: String(options.out),
            split: splitNamed(module, undefined, 'train'),
            policyDir: String(options.model),
            seed: config.seed,
            maxSteps: config.data.maxSteps,
            iteration: integerFlag('--iteration', String(options.iteration), 1, 1),
            requested: config.data.exploreTasks,
            limit: config.data.expertTasks,
            explore: config.explore,
          },
          deps,
        );
        deps.log(JSON.stringify(stageResult('explore', 'train', trajectories)));
      }),
    );

  stageCommand(
    program,
    'pairs',
    'ETO preference pairs: per task, agent reward < expert → (expert, agent); > → flipped; ties dropped',
    (key) => key === 'dpo.pairKind',
  )
    .requiredOption('--expert <file>', 'expert trajectories JSONL')
    .requiredOption('--explored <file>', 'explored trajectories JSONL')
    .requiredOption('--out <file>', 'pairs JSONL (written atomically)')
    .option(
      '--format <name>',
      'eto (Pair records) | trl (TRL conversational preference: prompt/chosen/rejected)',
      'eto',
    )
    .option('--iteration <k>', 'ETO iteration (for the log line)', '1')
    .action((options: Options) => {
      const config = stageConfig(options);
      const format = String(options.format);
      if (format !== 'eto' && format !== 'trl')
        throw new ConfigError('--format', `expected eto or trl, got "${format}"`);
      checkInputFile(String(options.expert), '--expert');
      checkInputFile(String(options.explored), '--explored');
      const { pairs, stats } = pairStage(
        {
          experts: readJsonl(String(options.expert), TrajectorySchema),
          explored: readJsonl(String(options.explored), TrajectorySchema),
          kind: config.dpo.pairKind,
          file: String(options.out),
          iteration: integerFlag('--iteration', String(options.iteration), 1, 1),
          format,
          reuse: false,
        },
        { log: (message) => process.stderr.write(message + '\n') },
      );
      process.stdout.write(JSON.stringify({ pairs: pairs.length, ...stats }) + '\n');
    });

  const dpo = stageCommand(
    program,
    'dpo',
    'DPO on pairs against the frozen starting model (reference log-probs stored once) → OUT/model, OUT/train-log',
    (key) => common(key) || key.startsWith('dpo.') || key.startsWith('lora.'),
  )
    .option('--pairs <file>', 'pairs JSONL (`eto pairs`)')
    .option(
      '--from-tokenized <dir>',
      'instead of --pairs: a job folder (`eto export dpo-tokenized`, --trainer command)',
    )
    .option('--model <dir>', 'policy to start from; also the reference (with --from-tokenized: the folder names it)')
    .requiredOption('--out <dir>', 'output folder (resumes an interrupted run in the same folder)')
    .option('--iteration <k>', 'ETO iteration: the batch-order seed', '1');
  addTrainerFlags(dpo).action((options: Options) =>
      withDeps(stageConfig(options), async (config, deps) => {
        if (options.fromTokenized !== undefined) return fromTokenized('dpo', options, config, deps);
        if (options.pairs === undefined) throw new ConfigError('--pairs', 'needed (or --from-tokenized DIR)');
        if (options.model === undefined) throw new ConfigError('--model', 'needed with --pairs');
        checkInputFile(String(options.pairs), '--pairs');
        checkModelDir(String(options.model), '--model');
        const out = String(options.out);
        checkFreshOutput(join(out, 'model'), '--out');
        const result = await dpoStage(
          {
            pairs: readJsonl(String(options.pairs), PairSchema),
            dataSource: String(options.pairs),
            policyDir: String(options.model),
            iteration: integerFlag('--iteration', String(options.iteration), 1, 1),
            dpo: config.dpo,
            lora: loraOptions(config),
            seed: config.seed,
            stageDir: out,
            outModel: join(out, 'model'),
            logFile: join(out, 'train-log.jsonl'),
            refLogProbsFile: join(out, 'ref-logprobs.jsonl'),
            keepPolicyWithoutPairs: false,
          },
          deps,
        );
        deps.log(
          `DPO: ${result?.steps ?? 0} steps, last loss ${result?.lastLoss.toFixed(4) ?? '-'} → ${join(out, 'model')}`,
        );
      }, trainerChoice(options)),
    );

  addPolicyFlags(stageCommand(
    program,
    'eval',
    'evaluate a model greedily on a split → trajectories JSONL; prints avg reward, success rate, steps',
    (key) =>
      playing(key) ||
      key.startsWith('eval.') ||
      key === 'explore.example' ||
      key === 'data.devTasks' ||
      key === 'data.testTasks',
  ))
    .requiredOption('--model <dir>', MODEL_HELP)
    .requiredOption('--out <file>', 'trajectories JSONL (appended; finished ids are skipped)')
    .option(
      '--split <name>',
      "split: data.devTasks tasks of the dev split, data.testTasks of a test split (default: the env's dev split)",
    )
    .option('--stage <name>', 'the stage evaluated, in episode ids (the pipeline uses sft, eto-<k>, rft)', 'model')
    .option('--iteration <k>', 'ETO iteration recorded in the trajectories', '0')
    .action((options: Options) =>
      withRemotePolicy(options, async (config, deps) => {
        const module = await deps.loadEnv(config.env);
        const split = splitNamed(module, options.split === undefined ? undefined : String(options.split), 'dev');
        const dev = module.splits().find((s) => s.name === split)?.role === 'dev';
        const { trajectories } = await evalStage(
          {
            module,
            file: String(options.out),
            split,
            policyDir: String(options.model),
            seed: config.seed,
            maxSteps: config.data.maxSteps,
            stage: String(options.stage),
            iteration: integerFlag('--iteration', String(options.iteration), 0, 0),
            requested: dev ? config.data.devTasks : config.data.testTasks,
            field: dev ? 'data.devTasks' : 'data.testTasks',
            eval: config.eval,
            example: config.explore.example,
          },
          deps,
        );
        deps.log(JSON.stringify(stageResult(String(options.stage), split, trajectories)));
      }),
    );
}

/** withDeps with the policy the --policy flags name; a local policy's --model must be a checkpoint. */
function withRemotePolicy(options: Options, fn: Parameters<typeof withDeps>[1]): Promise<void> {
  const config = stageConfig(options);
  const modelDir = options.model === undefined ? undefined : String(options.model);
  const policies = policyFactory(policyConfig(options), modelDir);
  if (policies === undefined) checkModelDir(String(options.model), '--model');
  return withDeps(config, fn, undefined, policies, localPolicyOptions(options));
}

/** `eto sft|dpo --from-tokenized DIR`: trains the job folder in this process (from-tokenized.ts). */
async function fromTokenized(kind: 'sft' | 'dpo', options: Options, config: RunConfig, deps: PipelineDeps) {
  if (options.trainer !== undefined && options.trainer !== 'local')
    throw new ConfigError('--from-tokenized', 'trains in this process; it takes no --trainer');
  const flags = {
    dir: String(options.fromTokenized),
    out: String(options.out),
    ...(options.model === undefined ? {} : { model: String(options.model) }),
    iteration: integerFlag('--iteration', options.iteration as string | undefined, 1, 1),
  };
  const result = await trainFromTokenizedFlags(kind, flags, config, deps);
  const loss = result.lastLoss.toFixed(4);
  deps.log(`${kind.toUpperCase()}: ${result.steps} steps, last loss ${loss} → ${flags.out}/model`);
}

/** A stage command with `--preset` and the config flags `include` selects. */
function stageCommand(program: Command, name: string, description: string, include: (key: string) => boolean): Command {
  const command = program
    .command(name)
    .description(description)
    .option('--preset <name>', 'preset the config flags start from: smoke | default | paper', 'default');
  return addConfigFlags(command, include);
}

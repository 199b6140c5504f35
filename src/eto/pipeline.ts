// The ETO pipeline, top to bottom: expert data → tokenizer + model → SFT → N × (explore → pairs → DPO →
// evaluate) → best iteration on dev → summary. Every stage resumes from what the run directory holds.
import { existsSync, readFileSync } from 'node:fs';
import type { EpisodeProgress } from '../agent/batch-loop.ts';
import { ETO_STOP_STRINGS } from '../agent/policy.ts';
import { readJson, readJsonl, writeJsonAtomic, writeJsonlAtomic, writeFileAtomic } from '../data/jsonl.ts';
import { PairSchema, SummarySchema, type Pair, type StageResult, type Summary, type Trajectory } from '../data/schemas.ts';
import type { EnvModule } from '../env/types.ts';
import { ConfigError } from '../errors.ts';
import { pairedComparison, stageResult } from '../eval/metrics.ts';
import { formatSummaryMarkdown } from '../eval/table.ts';
import { Tokenizer, trainTokenizer } from '../model/tokenizer.ts';
import { runDpo } from '../train/dpo.ts';
import { encodePair } from '../train/encode.ts';
import { computeReferenceLogProbs } from '../train/reference-logprobs.ts';
import { runSft } from '../train/sft.ts';
import { clearTrainState, stateDirFor, type TrainProgress } from '../train/trainer.ts';
import { RunConfigSchema, type RunConfig } from './config.ts';
import type { PipelineDeps } from './deps.ts';
import { finishedStage, playExpertStage, playPolicyStage, splitTasks } from './episodes-stage.ts';
import { createLocalPolicy } from './local-policy.ts';
import { checkpointExists, newModel, openModel, saveModel, tokenizerCorpus, withModel } from './models.ts';
import { buildPairs } from './pairs.ts';
import { runPaths, type RunPaths } from './run-dir.ts';

export interface RunOptions {
  /** Continue a run in an existing directory (its config.json wins). */
  resume: boolean;
}

export async function runEto(requested: RunConfig, deps: PipelineDeps, options: RunOptions): Promise<Summary> {
  const started = deps.now();
  // everything that can be checked is checked before the run directory is touched
  const config = resolveConfig(requested, options);
  const paths = runPaths(config.out);
  const module = await deps.loadEnv(config.env);
  const splits = resolveSplits(module);
  if (!existsSync(paths.config)) writeJsonAtomic(paths.config, config);
  deps.log(`eto run: ${config.env}, preset ${config.preset}, seed ${config.seed} → ${config.out}`);

  // 1. expert trajectories on the first training tasks (the SFT data and the chosen side of pairs)
  const expertTasks = splitTasks(module, 'expert', splits.train, config.data.expertTasks, config.data.expertSeed);
  const experts = withBar(deps, 'expert data', expertTasks.length, 'episodes', (bar) =>
    playExpertStage(module, paths.expert, expertTasks, (done) => bar.update(done)),
  );

  // 2. SFT policy: the committed base checkpoint, or tokenizer + model trained here
  await sftStage(config, deps, paths, module, experts);

  // 3. evaluate SFT on dev and the test splits
  const evaluations = new Map<string, Trajectory[]>();
  const evaluate = async (stage: string, modelDir: string, iteration: number): Promise<void> => {
    for (const split of [splits.dev, ...splits.tests]) {
      evaluations.set(`${stage}/${split}`, await evaluateStage(config, deps, paths, module, stage, modelDir, split, iteration));
    }
  };
  await evaluate('sft', paths.sftModel, 0);

  // 4. ETO iterations: explore with the current policy, pair with experts, DPO against the frozen start policy
  let policyDir = paths.sftModel;
  for (let k = 1; k <= config.iterations; k++) {
    const iter = paths.iteration(k);
    if (!checkpointExists(iter.model)) {
      const explored = await exploreStage(config, deps, module, policyDir, iter.explore, splits.train, k);
      const pairs = pairStage(config, deps, iter.pairs, experts, explored, k);
      await dpoStage(config, deps, policyDir, iter, pairs, k);
    }
    await evaluate(`eto-${k}`, iter.model, k);
    policyDir = iter.model;
  }

  // 5. baselines: RFT = SFT data + the SFT policy's successful explorations, trained like SFT from the SFT model
  if (config.baselines.includes('rft')) {
    await rftStage(config, deps, paths, module, experts, splits.train);
    await evaluate('rft', paths.rftModel, 0);
  }

  // 6. summary: every stage × split, the best iteration on dev, paired differences vs SFT
  const summary = summarize(config, evaluations, splits, (deps.now() - started) / 1000);
  writeJsonAtomic(paths.summary, summary);
  const markdown = formatSummaryMarkdown(summary);
  writeFileAtomic(paths.summaryMarkdown, markdown);
  deps.log(markdown);
  return summary;
}

/** The stored config when resuming, else the requested one after the checks that need no env. Writes nothing. */
function resolveConfig(requested: RunConfig, options: RunOptions): RunConfig {
  const paths = runPaths(requested.out);
  if (existsSync(paths.config)) {
    if (!options.resume) throw new ConfigError('--out', `${requested.out} already holds a run; pass --resume to continue it or choose another --out`);
    return readJson(paths.config, RunConfigSchema);
  }
  if (requested.model.base !== '' && !checkpointExists(requested.model.base)) {
    throw new ConfigError('--model-base', `${requested.model.base} is not a model checkpoint; create it with \`npm run train-base\` or pass --model-base '' to train SFT in this run`);
  }
  return requested;
}

interface Splits {
  train: string;
  dev: string;
  tests: string[];
}

function resolveSplits(module: EnvModule): Splits {
  const all = module.splits();
  const train = all.find((s) => s.role === 'train')?.name;
  const dev = all.find((s) => s.role === 'dev')?.name;
  const tests = all.filter((s) => s.role === 'test').map((s) => s.name);
  if (!train || !dev || tests.length === 0) throw new ConfigError('--env', `${module.name} needs train, dev and test splits`);
  return { train, dev, tests };
}

async function sftStage(config: RunConfig, deps: PipelineDeps, paths: RunPaths, module: EnvModule, experts: Trajectory[]): Promise<void> {
  if (checkpointExists(paths.sftModel)) return;
  if (config.model.base !== '') {
    deps.log(`SFT: starting from the base checkpoint ${config.model.base}`);
    await withModel(deps.engine, () => openModel(deps.engine, config.model.base), (policy) => saveModel(paths.sftModel, policy));
    return;
  }
  // a resumed run reuses the tokenizer it trained before the kill
  let tokenizer: Tokenizer;
  if (existsSync(paths.tokenizer)) {
    tokenizer = Tokenizer.fromJSON(JSON.parse(readFileSync(paths.tokenizer, 'utf8')));
  } else {
    tokenizer = trainTokenizer(tokenizerCorpus(module, experts), { vocabSize: config.model.vocab });
    writeJsonAtomic(paths.tokenizer, tokenizer.toJSON());
  }
  const stateDir = stateDirFor(paths.sftDir);
  await withModel(deps.engine, () => newModel(deps.engine, config.model, tokenizer, config.seed), (policy) =>
    withTrainBar(deps, 'SFT', (callbacks) => {
      runSft({ stage: 'sft', iteration: 0, ...policy, trajectories: experts, hyper: config.sft, seed: config.seed, stateDir, logFile: paths.sftLog, ...callbacks });
      saveModel(paths.sftModel, policy);
      clearTrainState(stateDir);
    }),
  );
}

async function evaluateStage(config: RunConfig, deps: PipelineDeps, paths: RunPaths, module: EnvModule, stage: string, modelDir: string, split: string, iteration: number): Promise<Trajectory[]> {
  const count = split === resolveSplits(module).dev ? config.data.devTasks : config.data.testTasks;
  const tasks = splitTasks(module, `eval-${stage}`, split, count, config.seed);
  const file = paths.eval(stage, split);
  const finished = finishedStage(file, tasks);
  if (finished) return finished;
  return withModel(deps.engine, () => openModel(deps.engine, modelDir), (policy) =>
    withEpisodeBar(deps, `eval ${stage} ${split}`, tasks.length, (onProgress) =>
      playPolicyStage({
        module, file, tasks, policy: createLocalPolicy(policy.model, policy.tokenizer, modelDir),
        act: { temperature: 0, topP: 1, maxNewTokens: config.eval.maxNewTokens, stop: ETO_STOP_STRINGS, seed: config.seed },
        withExample: config.explore.example, source: 'eval', iteration, batch: config.eval.batch,
        ...maxSteps(config), onProgress,
      }),
    ),
  );
}

async function exploreStage(config: RunConfig, deps: PipelineDeps, module: EnvModule, policyDir: string, file: string, trainSplit: string, k: number): Promise<Trajectory[]> {
  const tasks = splitTasks(module, `explore-${k}`, trainSplit, Math.min(config.data.exploreTasks, config.data.expertTasks), config.seed);
  const finished = finishedStage(file, tasks);
  if (finished) return finished;
  return withModel(deps.engine, () => openModel(deps.engine, policyDir), (policy) =>
    withEpisodeBar(deps, `explore iter ${k}`, tasks.length, (onProgress) =>
      playPolicyStage({
        module, file, tasks, policy: createLocalPolicy(policy.model, policy.tokenizer, policyDir),
        act: { temperature: config.explore.temperature, topP: config.explore.topP, maxNewTokens: config.explore.maxNewTokens, stop: ETO_STOP_STRINGS, seed: config.seed * 7919 + k },
        withExample: config.explore.example, source: 'explore', iteration: k, batch: config.explore.batch,
        ...maxSteps(config), onProgress,
      }),
    ),
  );
}

function pairStage(config: RunConfig, deps: PipelineDeps, file: string, experts: Trajectory[], explored: Trajectory[], k: number): Pair[] {
  if (existsSync(file)) return readJsonl(file, PairSchema);
  const { pairs, stats } = buildPairs(experts, explored, { kind: config.dpo.pairKind });
  writeJsonlAtomic(file, pairs);
  const successes = explored.filter((t) => t.success).length;
  deps.log(`iter ${k}: explored ${explored.length} tasks, ${successes} succeeded; ${pairs.length} pairs (lose ${stats.lose}, win ${stats.win}, tie ${stats.tie}, malformed ${stats.malformed})`);
  return pairs;
}

async function dpoStage(config: RunConfig, deps: PipelineDeps, policyDir: string, iter: ReturnType<RunPaths['iteration']>, pairs: Pair[], k: number): Promise<void> {
  await withModel(deps.engine, () => openModel(deps.engine, policyDir), async (policy) => {
    if (pairs.length === 0) {
      deps.log(`iter ${k}: no pairs, the policy is kept as it is`);
      saveModel(iter.model, policy);
      return;
    }
    const encoded = pairs.map((pair) => encodePair(policy.tokenizer, pair, policy.model.config.maxPositionEmbeddings));
    // the reference is the policy at the start of the iteration: score before any update
    const reference = withBar(deps, `reference log-probs iter ${k}`, encoded.length, 'pairs', (bar) =>
      computeReferenceLogProbs(policy.model, encoded, iter.refLogProbs, { batchPairs: 8, onProgress: (done) => bar.update(done) }),
    );
    const stateDir = stateDirFor(iter.dir);
    withTrainBar(deps, `DPO iter ${k}`, (callbacks) => {
      runDpo({
        iteration: k, ...policy, pairs: encoded, reference, settings: { beta: config.dpo.beta, loss: config.dpo.loss, nllWeight: config.dpo.nllWeight },
        hyper: config.dpo, seed: config.seed + k, stateDir, logFile: iter.log, ...callbacks,
      });
    });
    saveModel(iter.model, policy);
    clearTrainState(stateDir);
  });
}

async function rftStage(config: RunConfig, deps: PipelineDeps, paths: RunPaths, module: EnvModule, experts: Trajectory[], trainSplit: string): Promise<void> {
  if (checkpointExists(paths.rftModel)) return;
  // the SFT policy's explorations: iteration 1's file when ETO ran, else explored here
  const explored = await exploreStage(config, deps, module, paths.sftModel, paths.iteration(1).explore, trainSplit, 1);
  const data = [...experts, ...explored.filter((t) => t.success)];
  const stateDir = stateDirFor(paths.rftDir);
  await withModel(deps.engine, () => openModel(deps.engine, paths.sftModel), (policy) =>
    withTrainBar(deps, 'RFT', (callbacks) => {
      runSft({ stage: 'rft', iteration: 0, ...policy, trajectories: data, hyper: { ...config.sft, epochs: 1 }, seed: config.seed + 101, stateDir, logFile: paths.rftLog, ...callbacks });
      saveModel(paths.rftModel, policy);
      clearTrainState(stateDir);
    }),
  );
}

function summarize(config: RunConfig, evaluations: Map<string, Trajectory[]>, splits: Splits, wallSeconds: number): Summary {
  const results: StageResult[] = [];
  for (const [key, trajectories] of evaluations) {
    const [stage, split] = key.split('/') as [string, string];
    results.push(stageResult(stage, split, trajectories));
  }
  // best ETO iteration on dev (ties keep the earlier iteration)
  let best = config.iterations > 0 ? 'eto-1' : 'sft';
  for (let k = 2; k <= config.iterations; k++) {
    const dev = (stage: string): number => results.find((r) => r.stage === stage && r.split === splits.dev)?.avgReward ?? -1;
    if (dev(`eto-${k}`) > dev(best)) best = `eto-${k}`;
  }
  const comparisons = [];
  for (const stage of new Set(results.map((r) => r.stage))) {
    if (stage === 'sft') continue;
    for (const split of [splits.dev, ...splits.tests]) {
      const a = evaluations.get(`${stage}/${split}`);
      const b = evaluations.get(`sft/${split}`);
      if (a && b) comparisons.push(pairedComparison(a, b, { stage, baseline: 'sft', split, seed: config.seed }));
    }
  }
  return SummarySchema.parse({ env: config.env, preset: config.preset, seed: config.seed, best, wallSeconds, results, comparisons });
}

function maxSteps(config: RunConfig): { maxSteps?: number } {
  return config.data.maxSteps > 0 ? { maxSteps: config.data.maxSteps } : {};
}

function withBar<T>(deps: PipelineDeps, label: string, total: number, unit: string, fn: (bar: { update(done: number, info?: string): void }) => T): T {
  const bar = deps.startProgress(label, total, unit);
  try {
    return fn(bar);
  } finally {
    bar.stop();
  }
}

async function withEpisodeBar<T>(deps: PipelineDeps, label: string, total: number, fn: (onProgress: (p: EpisodeProgress) => void) => Promise<T>): Promise<T> {
  const bar = deps.startProgress(label, total, 'episodes');
  try {
    return await fn((p) => bar.update(p.finished, `success ${p.finished === 0 ? 0 : Math.round((100 * p.successes) / p.finished)}%`));
  } finally {
    bar.stop();
  }
}

function withTrainBar<T>(deps: PipelineDeps, label: string, fn: (callbacks: TrainCallbacks) => T): T {
  let bar: ReturnType<PipelineDeps['startProgress']> | undefined;
  try {
    return fn({
      onStart: (totalSteps, resumedAfter) => {
        bar = deps.startProgress(label, totalSteps, 'steps');
        bar.update(resumedAfter);
      },
      onProgress: (p) => bar?.update(p.step, `loss ${p.loss.toFixed(4)}`),
    });
  } finally {
    bar?.stop();
  }
}

interface TrainCallbacks {
  onStart(totalSteps: number, resumedAfter: number): void;
  onProgress(progress: TrainProgress): void;
}

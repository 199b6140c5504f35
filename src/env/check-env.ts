// The one conformance check every environment runs (Gymnasium's check_env, for eto's Env contract):
// splits, deterministic resets and steps, result types, invalid actions as normal steps, step after the end,
// validActions, harness sanity and the expert. It collects every problem and throws them all at once.
// It does not judge benchmark fidelity (texts, rewards): each env's own tests do that. It imports nothing
// from agent/ (imports point env ← agent), so it drives the expert through the harness itself.
import { isDeepStrictEqual } from 'node:util';
import { Rng } from '../rng.ts';
import type { Env, EnvInfo, EnvModule, ResetOptions, ResetResult, StepResult } from './types.ts';

export interface CheckEnvOptions {
  /** Passed to `module.splits()` and `module.create()` (e.g. small split sizes). */
  moduleOptions?: Record<string, unknown>;
  /** Splits to exercise; default all. */
  splits?: string[];
  /** Tasks tried per split (the first ones and the last one); default 2. */
  tasksPerSplit?: number;
  /** Random steps per task; default 25. */
  steps?: number;
  seed?: number;
  /** Extra actions that must be invalid in every state (besides the built-in junk strings). */
  invalidActions?: string[];
  /** Check that an invalid action leaves validActions unchanged; default true. */
  invalidKeepsState?: boolean;
  /** Require the expert to succeed on the tasks tried; default true. */
  requireExpertSuccess?: boolean;
}

export interface CheckEnvReport {
  problems: string[];
  episodes: number;
  steps: number;
  expertSuccesses: number;
}

const JUNK_ACTIONS = ['', '   ', 'xyzzy plugh', '\u0000\u0007\u001b[2J', 'ÆØÅ 漢字 🙂', 'go to'.repeat(2000), '\n\n', 'Action: Action:'];

/** Throws an Error listing every problem found; returns counts when the env conforms. */
export function checkEnv(module: EnvModule, options: CheckEnvOptions = {}): CheckEnvReport {
  const report = findEnvProblems(module, options);
  if (report.problems.length > 0) {
    throw new Error(`checkEnv(${module.name}): ${report.problems.length} problem(s):\n- ${report.problems.slice(0, 30).join('\n- ')}`);
  }
  return report;
}

/** Like checkEnv, but returns the problems instead of throwing. */
export function findEnvProblems(module: EnvModule, options: CheckEnvOptions = {}): CheckEnvReport {
  const report: CheckEnvReport = { problems: [], episodes: 0, steps: 0, expertSuccesses: 0 };
  const problem = (text: string): void => {
    report.problems.push(text);
  };
  guard(problem, 'module', () => checkModuleShape(module, problem));
  let splits: ReturnType<EnvModule['splits']> = [];
  guard(problem, 'splits()', () => {
    splits = module.splits(options.moduleOptions);
    checkSplits(splits, problem);
  });
  const wanted = options.splits ?? splits.map((s) => s.name);
  const rng = new Rng(options.seed ?? 20240601);
  const invalid = [...JUNK_ACTIONS, ...(options.invalidActions ?? [])];
  for (const splitName of wanted) {
    const split = splits.find((s) => s.name === splitName);
    if (!split) {
      problem(`split "${splitName}" is not among splits()`);
      continue;
    }
    for (const task of taskIndices(split.size, options.tasksPerSplit ?? 2)) {
      const resetOptions: ResetOptions = { split: split.name, task, seed: rng.int(1000) };
      const where = `${split.name}/${task}`;
      guard(problem, `${where} random play`, () => randomPlay(module, options, resetOptions, invalid, rng.fork(where), report, problem));
      guard(problem, `${where} expert`, () => expertPlay(module, options, resetOptions, report, problem));
    }
  }
  guard(problem, 'bad reset options', () => checkBadResets(module, options, splits, problem));
  return report;
}

function guard(problem: (text: string) => void, where: string, body: () => void): void {
  try {
    body();
  } catch (error) {
    problem(`${where}: threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
}

function taskIndices(size: number, count: number): number[] {
  const indices = new Set<number>();
  for (let i = 0; i < Math.max(1, count - 1) && i < size; i++) indices.add(i);
  if (size > 0) indices.add(size - 1);
  return [...indices];
}

function checkModuleShape(module: EnvModule, problem: (text: string) => void): void {
  if (!/^[a-z][a-z0-9-]*$/.test(module.name)) problem(`name "${module.name}" is not a lower-case identifier`);
  if (!module.description.trim()) problem('description is empty');
  const h = module.harness;
  if (!h.instruction.trim()) problem('harness.instruction is empty');
  if (!h.invalidFormatMessage.trim()) problem('harness.invalidFormatMessage is empty');
  h.iclExample.forEach((message, i) => {
    const expected = i % 2 === 0 ? 'user' : 'assistant';
    if (message.role !== expected) problem(`harness.iclExample[${i}] has role ${message.role}, expected ${expected}`);
    if (typeof message.content !== 'string' || !message.content) problem(`harness.iclExample[${i}] has no content`);
  });
  if (h.parseAction('Thought: nothing to do.') !== null) problem('harness.parseAction found an action in a reply without "Action:"');
  const parsed = h.parseAction('Thought: think.\nAction: some action');
  if (parsed === null || !parsed.includes('some action')) problem(`harness.parseAction("...Action: some action") gave ${JSON.stringify(parsed)}`);
  const empty = h.episodeReward([]);
  if (!(empty >= 0 && empty <= 1)) problem(`harness.episodeReward([]) = ${empty}, expected a value in [0, 1]`);
  if (h.isSuccess(0)) problem('harness.isSuccess(0) is true');
  if (!h.isSuccess(1)) problem('harness.isSuccess(1) is false');
  if (typeof h.formatObservation('x') !== 'string') problem('harness.formatObservation does not return a string');
  if (module.corpus) {
    const corpus = module.corpus();
    if (!Array.isArray(corpus) || corpus.some((text) => typeof text !== 'string')) problem('corpus() is not a string array');
  }
}

function checkSplits(splits: ReturnType<EnvModule['splits']>, problem: (text: string) => void): void {
  if (splits.length === 0) problem('splits() is empty');
  const names = new Set<string>();
  for (const split of splits) {
    if (names.has(split.name)) problem(`split "${split.name}" is listed twice`);
    names.add(split.name);
    if (!Number.isInteger(split.size) || split.size <= 0) problem(`split "${split.name}" has size ${split.size}`);
    if (!['train', 'dev', 'test'].includes(split.role)) problem(`split "${split.name}" has role ${split.role}`);
  }
}

function checkInfo(info: EnvInfo, where: string, problem: (text: string) => void): void {
  if (typeof info.taskId !== 'string' || !info.taskId) problem(`${where}: info.taskId is not a non-empty string`);
  if (info.validActions !== undefined) {
    if (!Array.isArray(info.validActions) || info.validActions.some((a) => typeof a !== 'string')) {
      problem(`${where}: info.validActions is not a string array`);
    }
  }
  if (info.score !== undefined && !Number.isFinite(info.score)) problem(`${where}: info.score is not finite`);
  if (info.won !== undefined && typeof info.won !== 'boolean') problem(`${where}: info.won is not a boolean`);
  if (info.invalidAction !== undefined && typeof info.invalidAction !== 'boolean') problem(`${where}: info.invalidAction is not a boolean`);
}

function checkReset(result: ResetResult, where: string, problem: (text: string) => void): void {
  if (typeof result.observation !== 'string' || !result.observation) problem(`${where}: reset observation is not a non-empty string`);
  checkInfo(result.info, `${where} reset`, problem);
}

function checkStep(result: StepResult, where: string, problem: (text: string) => void): void {
  if (typeof result.observation !== 'string') problem(`${where}: observation is not a string`);
  if (!Number.isFinite(result.reward)) problem(`${where}: reward ${result.reward} is not finite`);
  if (typeof result.terminated !== 'boolean') problem(`${where}: terminated is not a boolean`);
  if (typeof result.truncated !== 'boolean') problem(`${where}: truncated is not a boolean`);
  checkInfo(result.info, where, problem);
}

/** Plays random (valid when known) actions on two fresh envs side by side, with junk actions mixed in. */
function randomPlay(
  module: EnvModule,
  options: CheckEnvOptions,
  resetOptions: ResetOptions,
  invalid: string[],
  rng: Rng,
  report: CheckEnvReport,
  problem: (text: string) => void,
): void {
  const where = `${resetOptions.split}/${resetOptions.task}`;
  const a = module.create(options.moduleOptions);
  const b = module.create(options.moduleOptions);
  const resetA = a.reset(resetOptions);
  const resetB = b.reset(resetOptions);
  checkReset(resetA, where, problem);
  if (!isDeepStrictEqual(resetA, resetB)) problem(`${where}: two resets with the same options differ`);
  const message = module.harness.taskMessage(resetA);
  if (typeof message !== 'string' || !message.trim()) problem(`${where}: harness.taskMessage is empty`);
  const maxSteps = module.harness.maxSteps(resetA);
  if (!Number.isInteger(maxSteps) || maxSteps <= 0) problem(`${where}: harness.maxSteps = ${maxSteps}`);
  report.episodes += 1;
  const played: string[] = [];
  let info = resetA.info;
  let ended = false;
  for (let i = 0; i < (options.steps ?? 25) && !ended; i++) {
    if (rng.next() < 0.3) {
      const junk = rng.pick(invalid);
      const before = info.validActions;
      const result = a.step(junk);
      const twin = b.step(junk);
      played.push(junk);
      report.steps += 1;
      checkStep(result, `${where} junk ${JSON.stringify(junk.slice(0, 20))}`, problem);
      if (!isDeepStrictEqual(result, twin)) problem(`${where}: the same junk action gave different results on two envs`);
      if (result.info.invalidAction !== true) problem(`${where}: junk action ${JSON.stringify(junk.slice(0, 20))} did not set info.invalidAction`);
      if (result.terminated || result.reward !== 0) {
        problem(`${where}: junk action ${JSON.stringify(junk.slice(0, 20))} after ${JSON.stringify(played.slice(-4, -1))} ` +
          `ended the episode (${result.terminated}) or gave reward (${result.reward}): ${result.observation.slice(0, 80)}`);
      }
      if ((options.invalidKeepsState ?? true) && before !== undefined && !isDeepStrictEqual(before, result.info.validActions)) {
        problem(`${where}: a junk action changed validActions`);
      }
      ended = result.terminated || result.truncated;
      info = result.info;
      continue;
    }
    const valid = info.validActions;
    if (valid !== undefined && valid.length === 0) problem(`${where}: validActions is empty in a running episode`);
    const action = valid && valid.length > 0 ? rng.pick(valid) : 'look';
    const result = a.step(action);
    const twin = b.step(action);
    played.push(action);
    report.steps += 1;
    checkStep(result, `${where} "${action}"`, problem);
    if (!isDeepStrictEqual(result, twin)) problem(`${where}: action "${action}" gave different results on two envs (after ${played.join(' | ')})`);
    if (valid !== undefined && result.info.invalidAction === true) problem(`${where}: listed valid action "${action}" was reported invalid`);
    ended = result.terminated || result.truncated;
    info = result.info;
  }
  if (ended) expectThrowAfterEnd(a, where, problem);
  // Reusing an env: a reset after play must equal a fresh reset.
  const again = a.reset(resetOptions);
  if (!isDeepStrictEqual(again, resetA)) problem(`${where}: reset after play differs from the first reset`);
}

function expectThrowAfterEnd(env: Env, where: string, problem: (text: string) => void): void {
  try {
    env.step('look');
    problem(`${where}: step() after the end did not throw`);
  } catch {
    // expected: stepping a finished episode is a programmer error
  }
}

/** Plays the expert through the harness (parse, step, cap) twice; both runs must match and should win. */
function expertPlay(
  module: EnvModule,
  options: CheckEnvOptions,
  resetOptions: ResetOptions,
  report: CheckEnvReport,
  problem: (text: string) => void,
): void {
  const where = `${resetOptions.split}/${resetOptions.task}`;
  const harness = module.harness;
  const run = (): { replies: string[]; results: StepResult[]; reward: number } => {
    const env = module.create(options.moduleOptions);
    const reset = env.reset(resetOptions);
    const agent = module.createExpert(env, reset, 7);
    const replies: string[] = [];
    const results: StepResult[] = [];
    let observation = reset.observation;
    let info = reset.info;
    for (let turn = 0; turn < harness.maxSteps(reset); turn++) {
      const reply = agent.act(observation, info);
      replies.push(reply);
      const action = harness.parseAction(reply);
      if (action === null) continue;
      const result = env.step(action);
      results.push(result);
      observation = result.observation;
      info = result.info;
      if (result.terminated || result.truncated) break;
    }
    return { replies, results, reward: harness.episodeReward(results) };
  };
  const first = run();
  const second = run();
  if (!isDeepStrictEqual(first, second)) problem(`${where}: the expert's episode differs between two runs with one seed`);
  if (first.replies.some((reply) => typeof reply !== 'string' || harness.parseAction(reply) === null)) problem(`${where}: an expert reply has no action`);
  report.episodes += 1;
  if (harness.isSuccess(first.reward)) report.expertSuccesses += 1;
  else if (options.requireExpertSuccess ?? true) problem(`${where}: the expert failed (reward ${first.reward}, ${first.replies.length} turns)`);
}

function checkBadResets(
  module: EnvModule,
  options: CheckEnvOptions,
  splits: ReturnType<EnvModule['splits']>,
  problem: (text: string) => void,
): void {
  const env = module.create(options.moduleOptions);
  const first = splits[0];
  const bad: ResetOptions[] = [{ split: 'no-such-split', task: 0 }];
  if (first) bad.push({ split: first.name, task: first.size }, { split: first.name, task: -1 }, { split: first.name, task: 0.5 });
  for (const reset of bad) {
    let threw = false;
    try {
      env.reset(reset);
    } catch {
      threw = true;
    }
    if (!threw) problem(`reset(${JSON.stringify(reset)}) did not throw`);
  }
  let threwBeforeReset = false;
  try {
    module.create(options.moduleOptions).step('look');
  } catch {
    threwBeforeReset = true;
  }
  if (!threwBeforeReset) problem('step() before any reset did not throw');
}

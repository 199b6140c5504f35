// One ETO episode as a small state machine: start → applyReply (once per assistant turn) → toTrajectory.
// Shared by the expert runner (one scripted episode) and the batched policy loop (many at once).
// It never throws on model output: a reply without an action is a counted step with ETO's error text.
import type { EndReason, Message, Trajectory } from '../data/schemas.ts';
import type { TurnUsage } from './policy.ts';
import type { Env, EnvModule, ResetOptions, ResetResult, ScriptedAgent, StepResult } from '../env/types.ts';
import { conversationStart } from './conversation.ts';

export interface EpisodeState {
  readonly module: EnvModule;
  readonly env: Env;
  readonly options: ResetOptions;
  readonly reset: ResetResult;
  readonly maxSteps: number;
  /** Stored conversation (no one-shot example), ending with a user turn while the episode runs. */
  messages: Message[];
  stepResults: StepResult[];
  steps: number;
  done: boolean;
  endReason: EndReason | undefined;
  lastObservation: string;
  /** Remote policies: the turns' usage summed (absent for local ones). */
  usage?: TurnUsage;
  policyError?: string;
}

/** `maxStepsCap` lowers the env's own step cap (small presets); it never raises it. */
export function startEpisode(module: EnvModule, env: Env, options: ResetOptions, maxStepsCap?: number): EpisodeState {
  const reset = env.reset(options);
  const envCap = module.harness.maxSteps(reset);
  return {
    module,
    env,
    options,
    reset,
    maxSteps: maxStepsCap === undefined ? envCap : Math.min(envCap, maxStepsCap),
    messages: conversationStart(module.harness, module.harness.taskMessage(reset)),
    stepResults: [],
    steps: 0,
    done: false,
    endReason: undefined,
    lastObservation: reset.observation,
  };
}

/** Appends one assistant reply, executes its action, and appends the observation unless the episode ended. */
export function applyReply(state: EpisodeState, reply: string): void {
  if (state.done) throw new Error('applyReply: the episode has already ended');
  const harness = state.module.harness;
  state.messages.push({ role: 'assistant', content: reply });
  state.steps += 1;
  const action = harness.parseAction(reply);
  let userMessage: string;
  if (action === null) {
    userMessage = harness.invalidFormatMessage;
  } else {
    const result = state.env.step(action);
    state.stepResults.push(result);
    state.lastObservation = result.observation;
    userMessage = harness.formatObservation(result.observation);
    if (result.terminated || result.truncated) {
      const reward = harness.episodeReward(state.stepResults);
      finish(state, harness.isSuccess(reward) ? 'success' : 'done', userMessage);
      return;
    }
  }
  if (state.steps >= state.maxSteps) {
    finish(state, 'max_steps', userMessage);
    return;
  }
  state.messages.push({ role: 'user', content: userMessage });
}

/** Ends the episode early (context overflow, policy error) without another env step. */
export function abortEpisode(state: EpisodeState, reason: EndReason): void {
  if (!state.done) finish(state, reason, state.lastObservation);
}

/** Adds one turn's usage (a remote policy's) to the episode's. */
export function addUsage(state: EpisodeState, usage: TurnUsage): void {
  const sum = state.usage;
  state.usage = sum
    ? {
        model: usage.model,
        requests: sum.requests + usage.requests,
        retries: sum.retries + usage.retries,
        promptTokens: sum.promptTokens + usage.promptTokens,
        completionTokens: sum.completionTokens + usage.completionTokens,
      }
    : { ...usage };
}

/** Ends the episode because the policy gave no reply (its requests kept failing). */
export function failEpisode(state: EpisodeState, why: string): void {
  state.policyError = why;
  abortEpisode(state, 'policy_error');
}

function finish(state: EpisodeState, reason: EndReason, finalObservation: string): void {
  state.done = true;
  state.endReason = reason;
  state.lastObservation = finalObservation;
}

export interface TrajectoryMeta {
  id: string;
  source: Trajectory['source'];
  iteration: number;
  policy: string;
}

export function toTrajectory(state: EpisodeState, meta: TrajectoryMeta): Trajectory {
  const harness = state.module.harness;
  const reward = harness.episodeReward(state.stepResults);
  return {
    id: meta.id,
    env: state.module.name,
    split: state.options.split,
    task: String(state.options.task),
    source: meta.source,
    iteration: meta.iteration,
    messages: state.messages,
    reward,
    success: harness.isSuccess(reward),
    steps: state.steps,
    endReason: state.endReason ?? 'error',
    policy: meta.policy,
    finalObservation: state.lastObservation,
    ...(state.usage ? { usage: state.usage } : {}),
    ...(state.policyError === undefined ? {} : { policyError: state.policyError }),
  };
}

/** Plays one episode with a scripted agent (the expert) and returns its trajectory. */
export function runScriptedEpisode(
  module: EnvModule,
  env: Env,
  options: ResetOptions,
  makeAgent: (env: Env, reset: ResetResult) => ScriptedAgent,
  meta: TrajectoryMeta,
): Trajectory {
  const state = startEpisode(module, env, options);
  const agent = makeAgent(env, state.reset);
  let info = state.reset.info;
  while (!state.done) {
    applyReply(state, agent.act(state.lastObservation, info));
    info = state.stepResults.at(-1)?.info ?? info;
  }
  return toTrajectory(state, meta);
}

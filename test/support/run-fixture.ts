// Writes a synthetic but schema-valid run directory (config, expert data, train logs, explored episodes, pairs,
// eval episodes, summary) for report tests and the report bench. Records are validated against the zod schemas.
import { join } from 'node:path';
import { appendJsonl, writeJsonAtomic } from '../../src/data/jsonl.ts';
import { SummarySchema, TrainLogEntrySchema, TrajectorySchema, type Message, type Summary, type TrainLogEntry, type Trajectory } from '../../src/data/schemas.ts';
import { pairedComparison, stageResult } from '../../src/eval/metrics.ts';
import { buildPairs } from '../../src/eto/pairs.ts';
import { Rng } from '../../src/rng.ts';

export interface RunFixtureOptions {
  seed?: number;
  /** Training tasks explored per iteration (pairs ≈ tasks whose reward differs from the expert's). */
  tasks?: number;
  iterations?: number;
  /** Eval episodes per stage and split. */
  evalTasks?: number;
  /** Text placed in task names, actions and observations (injection tests). */
  payloads?: readonly string[];
  /** Turns added to every episode, and random words appended to every observation (benches: realistic sizes). */
  extraTurns?: number;
  observationChars?: number;
}

const OBJECTS = ['mug', 'apple', 'key', 'book', 'lamp', 'towel', 'pan', 'vase'];
const PLACES = ['cabinet', 'drawer', 'shelf', 'countertop', 'sink', 'table'];
export const FIXTURE_SPLITS = ['dev', 'seen', 'unseen'] as const;

export function writeRunFixture(dir: string, options: RunFixtureOptions = {}): Summary {
  const { seed = 7, tasks = 24, iterations = 2, evalTasks = 12, payloads = [], extraTurns = 0, observationChars = 0 } = options;
  const rng = new Rng(seed);
  const payloadText = payloads.length === 0 ? '' : ` ${payloads.join(' ')}`;
  const taskText = (split: string, i: number): string =>
    `${split}-${i}: put the ${OBJECTS[i % OBJECTS.length]} in the ${PLACES[(i * 3) % PLACES.length]}${payloadText}`;
  writeJsonAtomic(join(dir, 'config.json'), { env: 'toy', preset: 'fixture', seed, eto: { iterations } });

  const expert = Array.from({ length: tasks }, (_, i) => {
    const task = taskText('train', i);
    return episode(rng, { id: `expert-${i}`, task, split: 'train', source: 'expert', iteration: 0, turns: 3 + (i % 4) + extraTurns, reward: i % 5 === 0 ? 0.8 : 1, shareWith: null, payload: payloadText, observationChars });
  });
  appendJsonl(join(dir, 'data', 'expert.jsonl'), expert);
  appendJsonl(join(dir, 'sft', 'train-log.jsonl'), trainLog(rng, 'sft', 0, 40));

  for (let k = 1; k <= iterations; k++) {
    const explore = expert.map((e, i) =>
      episode(rng, { id: `explore-${k}-train-${i}`, task: e.task, split: 'train', source: 'explore', iteration: k, turns: 2 + rng.int(6) + extraTurns, reward: [0, 0.25, 0.5, 1][rng.int(4)] as number, shareWith: e, payload: payloadText, observationChars }),
    );
    appendJsonl(join(dir, `iter-${k}`, 'explore.jsonl'), explore);
    appendJsonl(join(dir, `iter-${k}`, 'pairs.jsonl'), buildPairs(expert, explore).pairs);
    appendJsonl(join(dir, `iter-${k}`, 'train-log.jsonl'), trainLog(rng, 'dpo', k, 30));
  }

  const stages = ['sft', 'rft', ...Array.from({ length: iterations }, (_, k) => `eto-${k + 1}`)];
  const evaluations = new Map<string, Trajectory[]>();
  for (const [s, stage] of stages.entries()) {
    for (const split of FIXTURE_SPLITS) {
      const skill = 0.3 + 0.1 * s;
      const list = Array.from({ length: evalTasks }, (_, i) => {
        const reward = rng.next() < skill ? 1 : Math.round(rng.next() * 4) / 8;
        return episode(rng, { id: `eval-${stage}-${split}-${i}`, task: taskText(split, i), split, source: 'eval', iteration: 0, turns: 2 + rng.int(5) + extraTurns, reward, shareWith: null, payload: payloadText, observationChars });
      });
      evaluations.set(`${stage}/${split}`, list);
      appendJsonl(join(dir, 'eval', `${stage}-${split}.jsonl`), list);
    }
  }
  const results = [...evaluations].map(([key, list]) => {
    const [stage, split] = key.split('/') as [string, string];
    return stageResult(stage, split, list);
  });
  const etoDev = results.filter((r) => r.split === 'dev' && r.stage.startsWith('eto-'));
  const best = etoDev.reduce((a, b) => (b.avgReward > a.avgReward ? b : a)).stage;
  const comparisons = stages.filter((s) => s !== 'sft').flatMap((stage) =>
    FIXTURE_SPLITS.filter((split) => split !== 'dev').map((split) =>
      pairedComparison(evaluations.get(`${stage}/${split}`) ?? [], evaluations.get(`sft/${split}`) ?? [], { stage, baseline: 'sft', split, seed, resamples: 200 }),
    ),
  );
  const summary = SummarySchema.parse({ env: 'toy', preset: 'fixture', seed, best, wallSeconds: 123.4, results, comparisons });
  writeJsonAtomic(join(dir, 'summary.json'), summary);
  return summary;
}

interface EpisodeSpec {
  id: string;
  task: string;
  split: string;
  source: Trajectory['source'];
  iteration: number;
  turns: number;
  reward: number;
  /** Copy this trajectory's first turns, so explored episodes diverge from the expert part-way. */
  shareWith: Trajectory | null;
  payload: string;
  observationChars: number;
}

function episode(rng: Rng, spec: EpisodeSpec): Trajectory {
  const messages: Message[] = [
    { role: 'user', content: 'Interact with a household to solve a task. Reply with "Thought: ..." then "Action: ...".' },
    { role: 'assistant', content: 'OK' },
    { role: 'user', content: `You are in the middle of a room.\nYour task is to: ${spec.task}` },
  ];
  const shared = spec.shareWith ? Math.min(rng.int(3), spec.turns) * 2 : 0;
  if (spec.shareWith) messages.push(...spec.shareWith.messages.slice(3, 3 + shared));
  while (messages.length < 3 + spec.turns * 2) {
    const step = (messages.length - 3) / 2;
    messages.push({ role: 'assistant', content: `Thought: step ${step} of ${spec.id}.${spec.payload}\nAction: go to ${PLACES[rng.int(PLACES.length)]} ${1 + rng.int(3)}` });
    messages.push({ role: 'user', content: `Observation: you see a ${OBJECTS[rng.int(OBJECTS.length)]}.${spec.payload}${filler(rng, spec.observationChars)}` });
  }
  messages.pop(); // end with the assistant turn; the last observation goes to finalObservation
  const success = spec.reward === 1;
  return TrajectorySchema.parse({
    id: spec.id, env: 'toy', split: spec.split, task: spec.task, source: spec.source, iteration: spec.iteration, messages,
    reward: spec.reward, success, steps: spec.turns, endReason: success ? 'success' : 'max_steps', policy: 'fixture',
    finalObservation: `Observation: episode over.${spec.payload}`,
  });
}

function trainLog(rng: Rng, stage: 'sft' | 'dpo', iteration: number, steps: number): TrainLogEntry[] {
  return Array.from({ length: steps }, (_, i) => {
    const progress = (i + 1) / steps;
    const entry: TrainLogEntry = { stage, iteration, step: i + 1, totalSteps: steps, epoch: progress, loss: 2.5 * Math.exp(-2 * progress) + 0.1 * rng.next(), lr: 1e-4, gradNorm: 1 + rng.next(), tokens: 512 * (i + 1) };
    if (stage === 'dpo') {
      const margin = 2 * progress + 0.3 * (rng.next() - 0.5);
      Object.assign(entry, { loss: Math.log(1 + Math.exp(-margin)), chosenReward: margin / 2, rejectedReward: -margin / 2, margin, accuracy: Math.min(1, 0.5 + 0.5 * progress + 0.1 * rng.next()) });
    }
    return TrainLogEntrySchema.parse(entry);
  });
}

/** About `chars` characters of random room words, so long observations do not intern to one string. */
function filler(rng: Rng, chars: number): string {
  let text = '';
  while (text.length < chars) text += ` ${[...OBJECTS, ...PLACES][rng.int(OBJECTS.length + PLACES.length)]} ${1 + rng.int(9)},`;
  return text;
}

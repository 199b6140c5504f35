// `npm run bench -- trl-vs-eto [--tasks N] [--threads 1,2]`: one DPO epoch on the same ETO pairs, eto's in-process
// trainer vs TRL's DPOTrainer (python/trl_dpo_bench.py; float32 CPU), from checkpoints/alfworld-small-sft with
// β 0.5, lr 1e-4, cosine. Pairs: the checkpoint explores N ALFWorld training tasks, paired with the expert.
// One JSON line per thread count: wall seconds of each whole command (eto's includes its reference pass and model
// load; TRL's its dataset tokenisation), TRL's own training seconds, pairs/s, steps and first/last loss; then one
// line evaluating the start model and both trained models greedily on --eval-tasks dev tasks, with paired intervals.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonl } from '../src/data/jsonl.ts';
import { TrajectorySchema } from '../src/data/schemas.ts';
import { pairedComparison } from '../src/eval/metrics.ts';
import { repoRoot, runEtoCli } from '../test/helpers/cli.ts';
import { findPython } from '../test/helpers/python-env.ts';
import { round } from './stats.ts';

const MODEL = join(repoRoot, 'checkpoints/alfworld-small-sft');

async function eto(args: string[]): Promise<number> {
  const started = performance.now();
  const result = await runEtoCli(args);
  if (result.code !== 0) throw new Error(`eto ${args[0]} failed: ${result.stderr}`);
  return (performance.now() - started) / 1000;
}

export async function run(args: string[]): Promise<void> {
  const value = (flag: string, fallback: string): string => (args.includes(flag) ? (args[args.indexOf(flag) + 1] as string) : fallback);
  const tasks = value('--tasks', '64');
  const evalTasks = value('--eval-tasks', '40');
  const threadCounts = value('--threads', '1,2').split(',').map(Number);
  const lookup = findPython(['torch', 'transformers', 'trl', 'datasets']);
  if (!lookup.found) {
    console.log(JSON.stringify({ bench: 'trl-vs-eto', skipped: lookup.reason }));
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'eto-trl-vs-eto-'));
  const file = (name: string): string => join(dir, name);
  await eto(['expert', '--preset', 'default', '--data-expert-tasks', tasks, '--out', file('expert.jsonl')]);
  await eto(['explore', '--preset', 'default', '--model', MODEL, '--data-expert-tasks', tasks, '--data-explore-tasks', tasks,
    '--out', file('explore.jsonl')]);
  await eto(['pairs', '--expert', file('expert.jsonl'), '--explored', file('explore.jsonl'), '--out', file('pairs.jsonl')]);
  await eto(['export', 'trl-preference', '--input', file('pairs.jsonl'), '--out', file('trl.jsonl')]);
  const pairs = readFileSync(file('pairs.jsonl'), 'utf8').trim().split('\n').length;
  for (const threads of threadCounts) {
    const out = file(`eto-${threads}`);
    const etoSeconds = await eto(['dpo', '--preset', 'default', '--pairs', file('pairs.jsonl'), '--model', MODEL, '--out', out,
      '--dpo-beta', '0.5', '--dpo-lr', '1e-4', '--dpo-epochs', '1', '--dpo-nll-weight', '0', '--threads', String(threads)]);
    const log = readFileSync(join(out, 'train-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { loss: number });
    const started = performance.now();
    const stdout = execFileSync(lookup.env.python, [join(repoRoot, 'python/trl_dpo_bench.py')], {
      input: JSON.stringify({ model: MODEL, data: file('trl.jsonl'), beta: 0.5, lr: 1e-4, batch: 4, epochs: 1, threads,
        max_length: 1024, out: file(`trl-${threads}`) }),
      encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'], maxBuffer: 1 << 24, env: { ...process.env, OMP_NUM_THREADS: String(threads) },
    });
    const trlWall = (performance.now() - started) / 1000;
    const trl = JSON.parse(stdout.trim().split('\n').filter((l) => l.startsWith('{"steps"')).at(-1) as string) as Record<string, number>;
    console.log(JSON.stringify({
      bench: 'trl-vs-eto', pairs, threads,
      eto: { wall_s: round(etoSeconds), pairs_per_s_wall: round(pairs / etoSeconds, 2), steps: log.length,
        first_loss: round(log[0]?.loss ?? NaN, 4), last_loss: round(log.at(-1)?.loss ?? NaN, 4) },
      trl: { wall_s: round(trlWall), train_s: round(trl.train_seconds ?? NaN), pairs_per_s_train: round(trl.pairs_per_s ?? NaN, 2),
        steps: trl.steps, first_loss: round(trl.first_loss ?? NaN, 4), last_loss: round(trl.last_loss ?? NaN, 4), version: trl.trl },
      wall_ratio_eto_over_trl: round(trlWall / etoSeconds, 2),
    }));
  }
  // the models of the first thread count, on the same dev tasks
  const first = threadCounts[0] as number;
  const models = { start: MODEL, eto: join(file(`eto-${first}`), 'model'), trl: join(file(`trl-${first}`), 'model') };
  const episodes: Record<string, ReturnType<typeof readJsonl<typeof TrajectorySchema>>> = {};
  for (const [name, model] of Object.entries(models)) {
    await eto(['eval', '--model', model, '--split', 'dev', '--data-dev-tasks', evalTasks, '--out', file(`eval-${name}.jsonl`)]);
    episodes[name] = readJsonl(file(`eval-${name}.jsonl`), TrajectorySchema);
  }
  const success = (name: string): number => round((100 * (episodes[name] ?? []).filter((t) => t.success).length) / Number(evalTasks));
  const vs = (stage: string, baseline: string) => {
    const c = pairedComparison(episodes[stage] ?? [], episodes[baseline] ?? [], { stage, baseline, split: 'dev', seed: 1 });
    return { diff: round(c.diff), ci95: [round(c.ciLow), round(c.ciHigh)] };
  };
  console.log(JSON.stringify({
    bench: 'trl-vs-eto-eval', split: 'dev', tasks: Number(evalTasks),
    success: { start: success('start'), eto: success('eto'), trl: success('trl') },
    eto_vs_start: vs('eto', 'start'), trl_vs_start: vs('trl', 'start'), eto_vs_trl: vs('eto', 'trl'),
  }));
}

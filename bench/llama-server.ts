// `npm run bench -- llama-server [--model DIR] [--tasks N] [--split S] [--max-steps N] [--server-threads N]
//   [--eval-batch N]`: the
// llama.cpp round trip (#22 item 5).
// eto exports the checkpoint to GGUF, Python's `llama_cpp.server` serves it on loopback, and `eto eval
// --policy openai` plays N ALFWorld tasks against it; the same tasks are evaluated in process. Prints one JSON
// line: both success rates, the paired difference (remote − in-process) with its 95% bootstrap interval, how
// many episodes match exactly, every episode written, the request/token counts, and both wall times.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonl } from '../src/data/jsonl.ts';
import { TrajectorySchema } from '../src/data/schemas.ts';
import { pairedComparison } from '../src/eval/metrics.ts';
import { repoRoot, runEtoCli } from '../test/helpers/cli.ts';
import { findPython } from '../test/helpers/python-env.ts';
import { round } from './stats.ts';

function option(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] as string) : fallback;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  return { value, seconds: round((performance.now() - started) / 1000) };
}

export async function run(args: string[]): Promise<void> {
  const lookup = findPython(['llama_cpp.server.app']);
  if (!lookup.found) {
    console.log(JSON.stringify({ bench: 'llama-server', skipped: lookup.reason }));
    return;
  }
  const model = option(args, '--model', join(repoRoot, 'checkpoints/alfworld-small-sft'));
  const tasks = option(args, '--tasks', '30');
  const split = option(args, '--split', 'seen');
  const port = option(args, '--port', '8765');
  const maxSteps = option(args, '--max-steps', '0'); // 0: the preset's step cap
  const serverThreads = option(args, '--server-threads', '1');
  // episodes at once in process: each holds a KV cache of the model's whole context (SmolLM2: 8,192 positions,
  // 377 MB), so the preset's 64 would pass the engine's 4 GiB
  const evalBatch = option(args, '--eval-batch', '8');
  const dir = mkdtempSync(join(tmpdir(), 'eto-llama-server-'));
  const gguf = join(dir, 'model.gguf');
  const exported = await runEtoCli(['model', 'export', '--format', 'gguf', '--model', model, '--out', gguf]);
  if (exported.code !== 0) throw new Error(`export failed: ${exported.stderr}`);
  const server = spawn(lookup.env.python, ['-m', 'llama_cpp.server', '--model', gguf, '--host', '127.0.0.1', '--port', port,
    '--n_ctx', '4096', '--n_threads', serverThreads], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      let log = '';
      const onData = (chunk: Buffer): void => {
        log += chunk.toString();
        if (log.includes('Uvicorn running on')) resolve();
      };
      server.stdout.on('data', onData);
      server.stderr.on('data', onData);
      server.once('exit', (code) => reject(new Error(`llama_cpp.server exited with ${code}: ${log.slice(-500)}`)));
    });
    const common = ['eval', '--split', split, '--data-test-tasks', tasks, '--data-dev-tasks', tasks,
      ...(maxSteps === '0' ? [] : ['--data-max-steps', maxSteps])];
    const local = await timed(() => runEtoCli([...common, '--model', model, '--eval-batch', evalBatch,
      '--out', join(dir, 'local.jsonl')]));
    const remote = await timed(() => runEtoCli([...common, '--model', 'llama.cpp', '--policy', 'openai', '--policy-base-url',
      `http://127.0.0.1:${port}/v1`, '--policy-model', 'model.gguf', '--policy-concurrency', '1', '--out', join(dir, 'remote.jsonl')]));
    for (const run of [local, remote]) if (run.value.code !== 0) throw new Error(`eval failed: ${run.value.stderr}`);
    const ours = readJsonl(join(dir, 'local.jsonl'), TrajectorySchema);
    const theirs = readJsonl(join(dir, 'remote.jsonl'), TrajectorySchema);
    const byTask = new Map(ours.map((t) => [t.task, t]));
    const identical = theirs.filter((t) => byTask.get(t.task)?.reward === t.reward && byTask.get(t.task)?.steps === t.steps).length;
    const comparison = pairedComparison(theirs, ours, { stage: 'llama.cpp', baseline: 'in-process', split, seed: 1 });
    const success = (list: typeof ours): number => round((100 * list.filter((t) => t.success).length) / Math.max(1, list.length));
    const usage = /policy [^:]+: (.*)/.exec(remote.value.stderr + remote.value.stdout)?.[1] ?? '';
    console.log(JSON.stringify({
      bench: 'llama-server', model, split, tasks: Number(tasks), episodesWritten: { local: ours.length, remote: theirs.length },
      successLocal: success(ours), successRemote: success(theirs), diff: round(comparison.diff), ci95: [round(comparison.ciLow), round(comparison.ciHigh)],
      withinInterval: comparison.ciLow <= 0 && comparison.ciHigh >= 0, identicalEpisodes: identical, usage,
      secondsLocal: local.seconds, secondsRemote: remote.seconds,
    }));
  } finally {
    server.kill();
  }
}

// `--trainer command` with eto's own CLI behind the seam (#17 Done-when 4): `eto run --preset smoke` whose SFT and
// DPO run as `node bin/eto.js {kind} --from-tokenized {data} --out {out}` subprocesses finishes with what the
// in-process trainer gives (pairs, train logs, weights, eval episodes, summary metrics), and a SIGKILL of the
// whole process group during the external SFT followed by `--resume` keeps every step finished before the kill.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SummarySchema } from '../src/data/schemas.ts';
import { etoBin, repoRoot, runEtoCli } from './helpers/cli.ts';

const TEMPLATE = 'node bin/eto.js {kind} --from-tokenized {data} --out {out}';
const COMPARED_FILES = [
  'data/expert.jsonl',
  'sft/train-log.jsonl',
  'sft/model/model.safetensors',
  'iter-1/explore.jsonl',
  'iter-1/pairs.jsonl',
  'iter-1/ref-logprobs.jsonl',
  'iter-1/train-log.jsonl',
  'iter-1/model/model.safetensors',
  'eval/eto-1-dev.jsonl',
  'eval/eto-1-unseen.jsonl',
];

const root = mkdtempSync(join(tmpdir(), 'eto-command-trainer-'));
const inProcess = join(root, 'local');
const smoke = (out: string, ...extra: string[]) => ['run', '--preset', 'smoke', '--out', out, ...extra];
const viaCommand = (out: string, ...extra: string[]) =>
  smoke(out, '--trainer', 'command', '--trainer-command', TEMPLATE, ...extra);

function summaryMetrics(out: string) {
  const summary = SummarySchema.parse(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')));
  return { results: summary.results, comparisons: summary.comparisons, counts: summary.counts, best: summary.best };
}

/** Byte equality, but for the run folder's own path (episodes record the policy checkpoint they came from). */
function sameFile(out: string, file: string): boolean {
  const ours = readFileSync(join(out, file));
  const theirs = readFileSync(join(inProcess, file));
  if (file.endsWith('.safetensors')) return ours.equals(theirs);
  return ours.toString().replaceAll(out, 'RUN') === theirs.toString().replaceAll(inProcess, 'RUN');
}

function steps(file: string): number[] {
  return readFileSync(file, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { step: number }).step);
}

/** Polls until `check` holds (or the process ends); 20 ms apart. */
async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

describe('--trainer command with eto behind it', () => {
  beforeAll(async () => {
    const result = await runEtoCli(smoke(inProcess));
    expect(result.code, result.stderr).toBe(0);
  }, 120_000);

  it('the smoke preset gives the in-process trainer\'s pairs, logs, weights, episodes and summary', async () => {
    const out = join(root, 'command');
    const result = await runEtoCli(viaCommand(out));
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    expect(result.stdout).toContain(`--from-tokenized ${join(out, 'sft/command/data')}`);
    for (const file of COMPARED_FILES) expect(sameFile(out, file), file).toBe(true);
    expect(summaryMetrics(out)).toEqual(summaryMetrics(inProcess));
    expect(existsSync(join(out, 'sft/command')), 'the work folder is removed').toBe(false);
  }, 120_000);

  it('a SIGKILL during the external SFT, then --resume, loses no finished step', async () => {
    const out = join(root, 'killed');
    // its own process group: the kill takes eto and the trainer command under it, as a crashed machine would
    const child = spawn(process.execPath, [etoBin, ...viaCommand(out)], {
      cwd: repoRoot,
      stdio: 'ignore',
      detached: true,
    });
    const exited = new Promise((resolve) => child.on('close', resolve));
    const stateDir = join(out, 'sft/command/out/train-state');
    // killed past a snapshot, so some logged steps lie after it and are redone
    const partialLog = join(stateDir, 'train-log.jsonl');
    const loggedSteps = (): number => (existsSync(partialLog) ? steps(partialLog).length : 0);
    const snapshotted = await until(() => existsSync(join(stateDir, 'state.json')) && loggedSteps() >= 4, 60_000);
    expect(snapshotted, 'the external SFT wrote a step snapshot').toBe(true);
    process.kill(-(child.pid ?? 0), 'SIGKILL');
    await exited;
    const before = readFileSync(partialLog, 'utf8').trim().split('\n');
    const snapshotStep = (JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as { step: number }).step;
    expect(existsSync(join(out, 'sft/model')), 'killed before the SFT finished').toBe(false);
    expect(before.length).toBeGreaterThanOrEqual(snapshotStep);

    const resumed = await runEtoCli(viaCommand(out, '--resume'));
    expect(resumed.code, resumed.stderr.slice(-3000)).toBe(0);
    const log = readFileSync(join(out, 'sft/train-log.jsonl'), 'utf8').trim().split('\n');
    const total = steps(join(inProcess, 'sft/train-log.jsonl')).length;
    expect(steps(join(out, 'sft/train-log.jsonl'))).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    // the steps logged up to the snapshot are kept as they were; later ones are redone from it, to the same values
    expect(log.slice(0, snapshotStep)).toEqual(before.slice(0, snapshotStep));
    console.info(`killed with ${before.length} steps logged, snapshot at ${snapshotStep}; resumed to ${log.length}`);
    for (const file of COMPARED_FILES) expect(sameFile(out, file), file).toBe(true);
    expect(summaryMetrics(out)).toEqual(summaryMetrics(inProcess));
  }, 180_000);

  it('refuses a template without {data} or with an unknown placeholder, naming the flag', async () => {
    const missing = await runEtoCli(smoke(join(root, 'never'), '--trainer', 'command', '--trainer-command', 'x {out}'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--trainer-command: needs {data}');
    const unknown = await runEtoCli(
      smoke(join(root, 'never'), '--trainer', 'command', '--trainer-command', 'x {data} {out} {dat}'),
    );
    expect(unknown.stderr).toContain('unknown placeholder {dat}');
  });

  it('a failing command stops the stage with its exit status and keeps its folder for --resume', async () => {
    const out = join(root, 'failing');
    const result = await runEtoCli(smoke(out, '--trainer', 'command', '--trainer-command', 'ls {data} {out}; exit 3'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sft: the trainer command exited with 3');
    expect(existsSync(join(out, 'sft/command/data/job.json'))).toBe(true);
  });
});

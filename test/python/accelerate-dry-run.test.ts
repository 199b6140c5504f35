// `--trainer accelerate --dry-run` (#17 Done-when 3): `eto run` and `eto dpo` write the job's tokenized dataset and
// print one `accelerate launch` line per shipped config in configs/accelerate/, training nothing. The flags given to
// `accelerate launch` (before the script) must be flags its documentation lists:
//   https://huggingface.co/docs/accelerate/package_reference/cli#accelerate-launch
// DOCUMENTED_LAUNCH_FLAGS is written from that page. With the Python environment present the lines are also parsed by
// accelerate's own argument parser (the one `accelerate launch --help` prints) and the script's arguments by
// python/eto_train/cli.py; without it that part is skipped with the reason printed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeJsonlAtomic } from '../../src/data/jsonl.ts';
import { repoRoot, runEtoCli } from '../helpers/cli.ts';
import { announceSkip, findPython } from '../helpers/python-env.ts';
import { fixturePairs } from './fixtures.ts';

/** `accelerate launch`'s options as the documentation page above lists them (accelerate 1.x). */
const DOCUMENTED_LAUNCH_FLAGS = [
  '--config_file', '-h', '--help', '-m', '--module', '--no_python', '--debug', '-q', '--quiet',
  '--cpu', '--multi_gpu', '--tpu', '--mixed_precision', '--num_processes', '--num_machines',
  '--num_cpu_threads_per_process', '--dynamo_backend', '--dynamo_mode', '--dynamo_use_fullgraph',
  '--dynamo_use_dynamic', '--use_deepspeed', '--use_fsdp', '--use_megatron_lm', '--gpu_ids', '--same_network',
  '--machine_rank', '--main_process_ip', '--main_process_port', '-t', '--tee', '--role', '--rdzv_backend',
  '--rdzv_conf', '--max_restarts', '--monitor_interval',
];

const shipped = readdirSync(join(repoRoot, 'configs/accelerate')).filter((name) => name.endsWith('.yaml'));
const lookup = findPython(['accelerate']);
const noPython = announceSkip('dry-run lines parsed by accelerate launch', lookup);

interface LaunchLine {
  /** The words after `accelerate launch`. */
  words: string[];
  /** Words between `launch` and the script. */
  launchFlags: string[];
  script: string;
  scriptArgs: string[];
}

/** The printed `… accelerate launch …` lines, split into words (eto quotes no safe path, so spaces split them). */
function launchLines(stdout: string): LaunchLine[] {
  return stdout
    .split('\n')
    .filter((line) => /(^|\/)accelerate launch /.test(line))
    .map((line) => {
      expect(line, 'a line with quoting would need a shell parser').not.toMatch(/['"\\]/);
      const words = line.trim().split(/ +/).slice(2);
      const scriptAt = words.findIndex((word) => word.endsWith('.py'));
      return {
        words,
        launchFlags: words.slice(0, scriptAt).filter((word) => word.startsWith('-')),
        script: words[scriptAt] ?? '',
        scriptArgs: words.slice(scriptAt + 1),
      };
    });
}

function checkLines(lines: LaunchLine[], script: 'sft.py' | 'dpo.py', dataDir: string): void {
  expect(lines.map((line) => line.words[line.words.indexOf('--config_file') + 1]?.split('/').at(-1)).sort()).toEqual(
    [...shipped].sort(),
  );
  for (const line of lines) {
    expect(line.script).toBe(join(repoRoot, 'python', script));
    for (const flag of line.launchFlags) expect(DOCUMENTED_LAUNCH_FLAGS).toContain(flag);
    expect(line.scriptArgs[line.scriptArgs.indexOf('--data') + 1]).toBe(dataDir);
  }
}

/** accelerate's own parser (what `accelerate launch --help` documents), then the script's parser, on each line. */
function parseWithAccelerate(python: string, lines: LaunchLine[], stage: string): Array<Record<string, unknown>> {
  const program = [
    'import json, sys',
    'from accelerate.commands.launch import launch_command_parser',
    'from eto_train.cli import parse_args',
    'out = []',
    'for words in json.loads(sys.stdin.read()):',
    '    ns = launch_command_parser().parse_args(words)',
    `    script = parse_args([${JSON.stringify(stage)}], ns.training_script_args)`,
    '    out.append({"config_file": ns.config_file, "script": ns.training_script, "data": script.data})',
    'print(json.dumps(out))',
  ].join('\n');
  const stdout = execFileSync(python, ['-c', program], {
    input: JSON.stringify(lines.map((line) => line.words)),
    env: { ...process.env, PYTHONPATH: join(repoRoot, 'python') },
  });
  return JSON.parse(stdout.toString()) as Array<Record<string, unknown>>;
}

describe('--trainer accelerate --dry-run', () => {
  it('eto run writes the SFT dataset and prints a launch line per shipped config, training nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'eto-dry-run-')), 'run');
    const result = await runEtoCli(['run', '--preset', 'smoke', '--trainer', 'accelerate', '--dry-run', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('dry run: stopped before training sft');
    const dataDir = join(out, 'sft/accelerate/data');
    const lines = launchLines(result.stdout);
    checkLines(lines, 'sft.py', dataDir);
    const rows = readFileSync(join(dataDir, 'data.jsonl'), 'utf8').trim().split('\n');
    expect(rows.length).toBe(readFileSync(join(out, 'data/expert.jsonl'), 'utf8').trim().split('\n').length);
    expect(readdirSync(join(out, 'sft'))).not.toContain('model');
    if (!noPython && lookup.found) {
      const parsed = parseWithAccelerate(lookup.env.python, lines, 'sft');
      expect(parsed.map((p) => p.data)).toEqual(lines.map(() => dataDir));
      expect(parsed.map((p) => p.script)).toEqual(lines.map((line) => line.script));
    }
  });

  it('eto dpo writes the DPO dataset with reference log-probs and a launch line per shipped config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eto-dry-run-dpo-'));
    writeJsonlAtomic(join(dir, 'pairs.jsonl'), fixturePairs(3));
    const out = join(dir, 'dpo');
    const result = await runEtoCli([
      'dpo', '--preset', 'smoke', '--pairs', join(dir, 'pairs.jsonl'), '--model', 'checkpoints/alfworld-small-sft',
      '--out', out, '--trainer', 'accelerate', '--dry-run',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const dataDir = join(out, 'accelerate/data');
    const lines = launchLines(result.stdout);
    checkLines(lines, 'dpo.py', dataDir);
    const rows = readFileSync(join(dataDir, 'data.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((row) => row.id)).toEqual(['pair-0', 'pair-1', 'pair-2']);
    for (const row of rows) expect(row.ref_chosen_logps).toBeLessThan(0);
    if (!noPython && lookup.found) {
      const parsed = parseWithAccelerate(lookup.env.python, lines, 'dpo');
      expect(parsed.map((p) => p.config_file)).toEqual(
        lines.map((line) => line.words[line.words.indexOf('--config_file') + 1]),
      );
    }
  });

  it.skipIf(noPython)('every documented flag written above is one `accelerate launch --help` lists', () => {
    const python = lookup.found ? lookup.env.python : '';
    const help = execFileSync(join(python, '..', 'accelerate'), ['launch', '--help']).toString();
    const listed = new Set(help.match(/(?<![\w-])--?[a-z][a-z0-9_]*/g));
    for (const flag of DOCUMENTED_LAUNCH_FLAGS) expect(listed, flag).toContain(flag);
  });
});

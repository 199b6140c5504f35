// `npm run bench -- pipeline [preset] [out] [--no-prefix-cache | --compare | --compare-old] [--engine E]`: runs a
// preset (default: `default`) end to end and prints one JSON line per stage with its wall time (stage = each
// progress bar: expert data, SFT, explore, DPO, eval…).
import { rmSync } from 'node:fs';
import { createPipelineDeps } from '../src/cli/pipeline-deps.ts';
import { validateRunConfig } from '../src/eto/config.ts';
import type { EngineChoice } from '../src/engine/index.ts';
import type { PipelineDeps } from '../src/eto/deps.ts';
import { runEto } from '../src/eto/pipeline.ts';
import { presetConfig, type PresetName } from '../src/eto/presets.ts';
import { round } from './stats.ts';

interface Options {
  preset: PresetName;
  out: string;
  /** the runs, in order: the prefix cache (true) or re-prefilling every turn (false), on which engine */
  variants: { prefixCache: boolean; engine: EngineChoice }[];
}

function parseArgs(args: string[]): Options {
  const engineAt = args.indexOf('--engine');
  const engine = (engineAt >= 0 ? args.splice(engineAt, 2)[1] : 'auto') as EngineChoice;
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const [preset = 'default', out] = args.filter((a) => !a.startsWith('--'));
  // --compare-old: the path before the speed issue (WebAssembly engine, re-prefill every turn) against today's
  const variants = flags.has('--compare-old') ? [{ prefixCache: false, engine: 'wasm' as const }, { prefixCache: true, engine }]
    : flags.has('--compare') ? [{ prefixCache: false, engine }, { prefixCache: true, engine }]
    : [{ prefixCache: !flags.has('--no-prefix-cache'), engine }];
  return { preset: preset as PresetName, out: out ?? `runs/bench-${preset}`, variants };
}

/**
 * `[preset] [out] [--no-prefix-cache | --compare]`: --compare runs the preset twice in one process, first
 * re-prefilling every turn, then with the prefix cache, and prints the episode stages' speed-up.
 */
export async function run(args: string[]): Promise<void> {
  const options = parseArgs(args);
  const totals: Record<string, Record<string, number>> = {};
  const names = options.variants.map((v) => `${v.prefixCache ? 'prefix-cache' : 'no-prefix-cache'} ${v.engine}`);
  for (const [index, variant] of options.variants.entries()) {
    totals[names[index]!] = await runOnce(options.preset, options.out, variant.prefixCache, variant.engine);
  }
  const [before, after] = names.map((name) => totals[name]);
  if (before && after) {
    const speedup = Object.fromEntries(Object.keys(after).map((stage) =>
      [stage, round(before[stage]! / after[stage]!)]));
    console.log(JSON.stringify({ bench: 'pipeline', preset: options.preset, compare: `${names[0]} / ${names[1]}`,
      secondsBefore: before, secondsAfter: after, speedup }));
  }
}

/** One run; returns seconds per stage kind (explore, evaluate, total, …). */
async function runOnce(preset: PresetName, out: string, prefixCache: boolean, engine: EngineChoice,
): Promise<Record<string, number>> {
  rmSync(out, { recursive: true, force: true });
  const config = validateRunConfig({ ...presetConfig(preset), out });
  // the CLI's deps, with the progress bars replaced by one JSON line per stage and the log silenced
  const cliDeps = await createPipelineDeps(config.threads, undefined, undefined, { prefixCache }, engine);
  const seconds: Record<string, number> = {};
  const deps: PipelineDeps = {
    ...cliDeps,
    log: () => {},
    startProgress(label) {
      const started = performance.now();
      let items = 0;
      return {
        update: (done) => void (items = done),
        stop: () => {
          const entry = { stage: label, seconds: (performance.now() - started) / 1000, items };
          const kind = stageKind(label);
          seconds[kind] = (seconds[kind] ?? 0) + entry.seconds;
          console.log(JSON.stringify({ bench: 'pipeline', preset, prefixCache, engine, ...entry }));
        },
      };
    },
  };
  const started = performance.now();
  const cpuStarted = process.cpuUsage(); // all of the process's threads: main and engine workers
  const summary = await runEto(config, deps, { resume: false });
  cliDeps.dispose();
  seconds.total = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = round((cpu.user + cpu.system) / 1e6);
  console.log(JSON.stringify({ bench: 'pipeline', preset, prefixCache, engine: cliDeps.engine.backend, stage: 'total',
    seconds: seconds.total, cpuSeconds, best: summary.best }));
  return seconds;
}

/** Progress labels name their stage first ("explore iter 1", "eval seen"…): the first word groups them. */
function stageKind(label: string): string {
  return label.split(/[\s:]/)[0]!.toLowerCase();
}

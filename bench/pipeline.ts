// `npm run bench -- pipeline [preset] [out]`: runs a preset (default: `default`) end to end and prints one
// JSON line per stage with its wall time (stage = each progress bar: expert data, SFT, explore, DPO, eval…).
import { rmSync } from 'node:fs';
import { createEngine } from '../src/engine/index.ts';
import { getEnv } from '../src/env/registry.ts';
import { validateRunConfig } from '../src/eto/config.ts';
import type { PipelineDeps } from '../src/eto/deps.ts';
import { runEto } from '../src/eto/pipeline.ts';
import { presetConfig, type PresetName } from '../src/eto/presets.ts';

export async function run(args: string[]): Promise<void> {
  const preset = (args[0] ?? 'default') as PresetName;
  const out = args[1] ?? `runs/bench-${preset}`;
  rmSync(out, { recursive: true, force: true });
  const config = validateRunConfig({ ...presetConfig(preset), out });
  const engine = await createEngine(config.threads > 0 ? { threads: config.threads } : {});
  const stages: { stage: string; seconds: number; items: number }[] = [];
  const deps: PipelineDeps = {
    log: () => {},
    now: () => Date.now(),
    engine,
    loadEnv: getEnv,
    startProgress(label) {
      const started = performance.now();
      let items = 0;
      return {
        update: (done) => void (items = done),
        stop: () => {
          const entry = { stage: label, seconds: (performance.now() - started) / 1000, items };
          stages.push(entry);
          console.log(JSON.stringify({ bench: 'pipeline', preset, ...entry }));
        },
      };
    },
  };
  const started = performance.now();
  const summary = await runEto(config, deps, { resume: false });
  engine.dispose();
  console.log(JSON.stringify({ bench: 'pipeline', preset, stage: 'total', seconds: (performance.now() - started) / 1000, best: summary.best }));
}

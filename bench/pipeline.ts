// `npm run bench -- pipeline [preset] [out]`: runs a preset (default: `default`) end to end and prints one
// JSON line per stage with its wall time (stage = each progress bar: expert data, SFT, explore, DPO, eval…).
import { rmSync } from 'node:fs';
import { createPipelineDeps } from '../src/cli/pipeline-deps.ts';
import { validateRunConfig } from '../src/eto/config.ts';
import type { PipelineDeps } from '../src/eto/deps.ts';
import { runEto } from '../src/eto/pipeline.ts';
import { presetConfig, type PresetName } from '../src/eto/presets.ts';

export async function run(args: string[]): Promise<void> {
  const preset = (args[0] ?? 'default') as PresetName;
  const out = args[1] ?? `runs/bench-${preset}`;
  rmSync(out, { recursive: true, force: true });
  const config = validateRunConfig({ ...presetConfig(preset), out });
  // the CLI's deps, with the progress bars replaced by one JSON line per stage and the log silenced
  const cliDeps = await createPipelineDeps(config.threads);
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
          console.log(JSON.stringify({ bench: 'pipeline', preset, ...entry }));
        },
      };
    },
  };
  const started = performance.now();
  const summary = await runEto(config, deps, { resume: false });
  cliDeps.dispose();
  console.log(JSON.stringify({ bench: 'pipeline', preset, stage: 'total', seconds: (performance.now() - started) / 1000, best: summary.best }));
}

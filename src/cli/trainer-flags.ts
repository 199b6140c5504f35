// `--trainer local|accelerate`, `--accelerate-config FILE` and `--python PATH` on `eto run`: which Trainer the
// pipeline's deps get. The Python interpreter is --python, else ETO_PYTHON, else <repo>/.venv/bin/python.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { Engine } from '../engine/index.ts';
import { ConfigError } from '../errors.ts';
import { createAccelerateTrainer } from '../train/accelerate-trainer.ts';
import { createLocalTrainer } from '../train/local-trainer.ts';
import type { Trainer } from '../train/trainer-backend.ts';

export interface TrainerChoice {
  kind: 'local' | 'accelerate';
  accelerateConfig?: string;
  python?: string;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function addTrainerFlags(command: Command): Command {
  return command
    .option('--trainer <name>', 'local (in process) | accelerate (python/ under accelerate launch)', 'local')
    .option('--accelerate-config <file>', 'accelerate config for --trainer accelerate (configs/accelerate/*.yaml)')
    .option(
      '--python <path>',
      'Python with torch/transformers/accelerate (default: ETO_PYTHON, else .venv/bin/python)',
    );
}

export function trainerChoice(options: Record<string, unknown>): TrainerChoice {
  const kind = String(options.trainer ?? 'local');
  if (kind !== 'local' && kind !== 'accelerate')
    throw new ConfigError('--trainer', `expected local or accelerate, got "${kind}"`);
  if (kind === 'local') return { kind };
  const config = options.accelerateConfig === undefined ? undefined : String(options.accelerateConfig);
  if (config === undefined)
    throw new ConfigError(
      '--accelerate-config',
      'needed with --trainer accelerate (e.g. configs/accelerate/cpu-1.yaml)',
    );
  if (!existsSync(config)) throw new ConfigError('--accelerate-config', `${config} does not exist`);
  const python =
    options.python === undefined ? (process.env.ETO_PYTHON ?? `${repoRoot}.venv/bin/python`) : String(options.python);
  if (!existsSync(python))
    throw new ConfigError('--python', `${python} does not exist; run \`npm run setup:python\` or set ETO_PYTHON`);
  return { kind, accelerateConfig: config, python };
}

export function createTrainer(choice: TrainerChoice, engine: Engine, log: (line: string) => void): Trainer {
  if (choice.kind === 'local' || choice.accelerateConfig === undefined || choice.python === undefined)
    return createLocalTrainer(engine);
  return createAccelerateTrainer(engine, {
    python: choice.python,
    config: choice.accelerateConfig,
    scriptsDir: `${repoRoot}python`,
    log,
  });
}

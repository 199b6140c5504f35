// `--trainer local|accelerate|command`, `--accelerate-config FILE`, `--python PATH`, `--trainer-command TEMPLATE`
// and `--dry-run` on `eto run`, `eto sft`, `eto dpo`: which Trainer the deps get. The Python interpreter is
// --python, else ETO_PYTHON, else <repo>/.venv/bin/python. --dry-run (accelerate, command) writes the first
// training job's folder, prints the command lines (accelerate: one per config, every shipped config when
// --accelerate-config is not given) and stops there.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { Engine } from '../engine/index.ts';
import { ConfigError } from '../errors.ts';
import { createAccelerateTrainer } from '../train/accelerate-trainer.ts';
import { checkTemplate } from '../train/command-template.ts';
import { createCommandTrainer } from '../train/command-trainer.ts';
import { createLocalTrainer } from '../train/local-trainer.ts';
import type { Trainer } from '../train/trainer-backend.ts';

export interface TrainerChoice {
  kind: 'local' | 'accelerate' | 'command';
  accelerateConfig?: string;
  python?: string;
  trainerCommand?: string;
  dryRun?: boolean;
  /** --dry-run with accelerate: the configs whose launch lines are printed. */
  dryRunConfigs?: string[];
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const shippedConfigDir = join(repoRoot, 'configs', 'accelerate');

export function addTrainerFlags(command: Command): Command {
  return command
    .option(
      '--trainer <name>',
      'local (in process) | accelerate (python/ under accelerate launch) | command (--trainer-command)',
      'local',
    )
    .option('--accelerate-config <file>', 'accelerate config for --trainer accelerate (configs/accelerate/*.yaml)')
    .option(
      '--python <path>',
      'Python with torch/transformers/accelerate (default: ETO_PYTHON, else .venv/bin/python)',
    )
    .option(
      '--trainer-command <template>',
      'for --trainer command: a shell line with {data} {out} [{model} {kind} {stage} {iteration} {seed}], e.g. ' +
        '"node bin/eto.js {kind} --from-tokenized {data} --out {out}"',
    )
    .option('--dry-run', 'accelerate/command: write the first training job and print its commands, train nothing');
}

export function trainerChoice(options: Record<string, unknown>): TrainerChoice {
  const kind = String(options.trainer ?? 'local');
  const dryRun = Boolean(options.dryRun);
  if (kind !== 'local' && kind !== 'accelerate' && kind !== 'command')
    throw new ConfigError('--trainer', `expected local, accelerate or command, got "${kind}"`);
  if (kind === 'local') {
    if (dryRun) throw new ConfigError('--dry-run', 'needs --trainer accelerate or --trainer command');
    return { kind };
  }
  if (kind === 'command') return commandChoice(options, dryRun);
  const config = options.accelerateConfig === undefined ? undefined : String(options.accelerateConfig);
  if (config !== undefined && !existsSync(config))
    throw new ConfigError('--accelerate-config', `${config} does not exist`);
  const python =
    options.python === undefined ? (process.env.ETO_PYTHON ?? `${repoRoot}.venv/bin/python`) : String(options.python);
  if (dryRun) {
    // printing needs no Python: without one the lines name `accelerate` from PATH
    const configs = config === undefined ? shippedConfigs() : [config];
    const shown = existsSync(python) ? python : 'python';
    return { kind, accelerateConfig: configs[0]!, python: shown, dryRun, dryRunConfigs: configs };
  }
  if (config === undefined)
    throw new ConfigError(
      '--accelerate-config',
      'needed with --trainer accelerate (e.g. configs/accelerate/cpu-1.yaml)',
    );
  if (!existsSync(python))
    throw new ConfigError('--python', `${python} does not exist; run \`npm run setup:python\` or set ETO_PYTHON`);
  return { kind, accelerateConfig: config, python };
}

function commandChoice(options: Record<string, unknown>, dryRun: boolean): TrainerChoice {
  if (options.trainerCommand === undefined)
    throw new ConfigError('--trainer-command', 'needed with --trainer command (a shell line with {data} and {out})');
  const template = String(options.trainerCommand);
  checkTemplate(template);
  return { kind: 'command', trainerCommand: template, dryRun };
}

/** configs/accelerate/*.yaml, sorted. */
export function shippedConfigs(): string[] {
  return readdirSync(shippedConfigDir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => join(shippedConfigDir, name));
}

export function createTrainer(choice: TrainerChoice, engine: Engine, log: (line: string) => void): Trainer {
  if (choice.kind === 'command' && choice.trainerCommand !== undefined)
    return createCommandTrainer(engine, { template: choice.trainerCommand, log, dryRun: choice.dryRun ?? false });
  if (choice.kind === 'local' || choice.accelerateConfig === undefined || choice.python === undefined)
    return createLocalTrainer(engine);
  return createAccelerateTrainer(engine, {
    python: choice.python,
    config: choice.accelerateConfig,
    scriptsDir: `${repoRoot}python`,
    log,
    ...(choice.dryRunConfigs === undefined ? {} : { dryRunConfigs: choice.dryRunConfigs }),
  });
}

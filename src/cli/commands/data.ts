// Data commands: `eto import eto-sharegpt` (ETO's expert files → trajectories) and `eto export`
// (trajectories → SFT messages JSONL, pairs → TRL conversational preference JSONL).
import type { Command } from 'commander';
import { toSftMessages, toTrlPreference } from '../../data/export.ts';
import { readJsonl, writeJsonlAtomic } from '../../data/jsonl.ts';
import { PairSchema, TrajectorySchema } from '../../data/schemas.ts';
import { importShareGptFile } from '../../data/sharegpt.ts';
import { ConfigError } from '../../errors.ts';
import { checkInputFile } from './stage-helpers.ts';

export function register(program: Command): void {
  const importer = program.command('import').description('import trajectories from other tools');
  importer
    .command('eto-sharegpt <file>')
    .description("ETO's ShareGPT expert file ({id, conversations:[{from,value}], reward?, game_file?}; JSON array or JSONL) → trajectories JSONL")
    .requiredOption('--env <name>', 'env name recorded in the trajectories (alfworld, webshop, sciworld)')
    .requiredOption('--out <file>', 'trajectories JSONL (written atomically)')
    .option('--split <name>', 'split recorded in the trajectories', 'train')
    .action((file: string, options: { env: string; out: string; split: string }) => {
      checkInputFile(file, '<file>');
      const trajectories = importShareGptFile(file, { env: options.env, split: options.split });
      writeJsonlAtomic(options.out, trajectories);
      process.stdout.write(`imported ${trajectories.length} trajectories → ${options.out}\n`);
    });

  program
    .command('export <format>')
    .description('export for other trainers: trl-preference (pairs → {prompt, chosen, rejected}) | sft-messages (trajectories → {messages})')
    .requiredOption('--input <file>', 'pairs JSONL (trl-preference) or trajectories JSONL (sft-messages)')
    .requiredOption('--out <file>', 'output JSONL (written atomically)')
    .action((format: string, options: { input: string; out: string }) => {
      checkInputFile(options.input, '--input');
      if (format === 'trl-preference') writeJsonlAtomic(options.out, readJsonl(options.input, PairSchema).map(toTrlPreference));
      else if (format === 'sft-messages') writeJsonlAtomic(options.out, readJsonl(options.input, TrajectorySchema).map(toSftMessages));
      else throw new ConfigError('<format>', `expected trl-preference or sft-messages, got "${format}"`);
      process.stdout.write(`wrote ${options.out}\n`);
    });
}

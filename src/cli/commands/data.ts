// Data commands: `eto import eto-sharegpt` (ETO's expert files → trajectories) and `eto export`
// (trajectories → SFT messages JSONL, pairs → TRL conversational preference JSONL; sft-tokenized and
// dpo-tokenized → a folder of ids, −100 labels and reference log-probs for python/ under accelerate).
import type { Command } from 'commander';
import { toSftMessages, toTrlPreference } from '../../data/export.ts';
import { readJsonl, writeJsonlAtomic } from '../../data/jsonl.ts';
import { PairSchema, TrajectorySchema } from '../../data/schemas.ts';
import { importShareGptFile } from '../../data/sharegpt.ts';
import { ConfigError } from '../../errors.ts';
import { createEngine } from '../../engine/index.ts';
import { openModel } from '../../model/policy-model.ts';
import { REFERENCE_BATCH_PAIRS } from '../../train/local-trainer.ts';
import { dpoTokenizedRows, sftTokenizedRows, writeTokenizedDataset } from '../../train/tokenized-export.ts';
import { join } from 'node:path';
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
    .description('export for other trainers: trl-preference (pairs → {prompt, chosen, rejected}) | sft-messages ' +
      '(trajectories → {messages}) | sft-tokenized (trajectories → DIR) | ' +
      'dpo-tokenized (pairs → DIR, with reference log-probs)')
    .requiredOption('--input <file>',
      'pairs JSONL (trl-preference, dpo-tokenized) or trajectories JSONL (sft-messages, sft-tokenized)')
    .requiredOption('--out <path>',
      'output JSONL, or a folder (data.jsonl + dataset_info.json) for the *-tokenized formats')
    .option('--model <dir>', 'checkpoint whose tokenizer encodes (and, for dpo-tokenized, the frozen reference)')
    .action(async (format: string, options: { input: string; out: string; model?: string }) => {
      checkInputFile(options.input, '--input');
      if (format === 'trl-preference') writeJsonlAtomic(options.out, readJsonl(options.input, PairSchema).map(toTrlPreference));
      else if (format === 'sft-messages') writeJsonlAtomic(options.out, readJsonl(options.input, TrajectorySchema).map(toSftMessages));
      else if (format === 'sft-tokenized' || format === 'dpo-tokenized') await exportTokenized(format, options);
      else {
        const formats = 'trl-preference, sft-messages, sft-tokenized or dpo-tokenized';
        throw new ConfigError('<format>', `expected ${formats}, got "${format}"`);
      }
      process.stdout.write(`wrote ${options.out}\n`);
    });
}

async function exportTokenized(format: 'sft-tokenized' | 'dpo-tokenized',
  options: { input: string; out: string; model?: string }): Promise<void> {
  const modelDir = options.model;
  if (modelDir === undefined) {
    throw new ConfigError('--model', `${format} needs the checkpoint whose tokenizer encodes the data`);
  }
  const engine = await createEngine({});
  try {
    const policy = openModel(engine, modelDir, { grads: false });
    if (format === 'sft-tokenized') {
      const rows = sftTokenizedRows(policy, readJsonl(options.input, TrajectorySchema));
      writeTokenizedDataset(options.out, 'sft', rows, policy, modelDir);
    } else {
      const refFile = join(options.out, 'ref-logprobs.jsonl');
      const rows = dpoTokenizedRows(policy, readJsonl(options.input, PairSchema), refFile, REFERENCE_BATCH_PAIRS);
      writeTokenizedDataset(options.out, 'dpo', rows, policy, modelDir);
    }
  } finally {
    engine.dispose();
  }
}

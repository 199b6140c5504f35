// Importer for ETO's ShareGPT expert files (`data/<task>_sft.json`, eto-method.md §6.1):
// `[{id, conversations: [{from: 'human'|'gpt', value}], reward?, game_file?}]` (a JSON array or JSONL).
// Records become Trajectory lines (source 'expert'); ShareGPT is never the stored form.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DataError } from '../errors.ts';
import { describeIssue } from './jsonl.ts';
import type { Message, Trajectory } from './schemas.ts';

const ShareGptRecordSchema = z.object({
  id: z.union([z.string(), z.number()]),
  conversations: z.array(z.object({ from: z.enum(['human', 'gpt', 'system']), value: z.string() })).min(2),
  reward: z.number().finite().optional(),
  game_file: z.string().optional(),
});
export type ShareGptRecord = z.infer<typeof ShareGptRecordSchema>;

export interface ImportOptions {
  env: string;
  split: string;
}

const roleOf = { human: 'user', gpt: 'assistant', system: 'system' } as const;

/** One ShareGPT record → Trajectory. ALFWorld keys tasks by the trial folder of `game_file` (as ETO does). */
export function shareGptToTrajectory(record: ShareGptRecord, options: ImportOptions): Trajectory {
  const messages: Message[] = record.conversations.map((turn) => ({ role: roleOf[turn.from], content: turn.value }));
  const last = messages.at(-1);
  if (last?.role !== 'assistant') throw new Error('conversations must end with a gpt turn');
  // ETO hard-codes expert reward 1.0 except WebShop, whose records carry `reward`
  const reward = record.reward ?? 1;
  const task = record.game_file ? trialName(record.game_file) : String(record.id);
  const assistantTurns = messages.filter((message) => message.role === 'assistant').length;
  return {
    id: `expert-${String(record.id)}`,
    env: options.env,
    split: options.split,
    task,
    source: 'expert',
    iteration: 0,
    messages,
    reward,
    success: reward >= 1,
    // the first assistant turn is the "OK" acknowledgement, not an env step
    steps: Math.max(0, assistantTurns - 1),
    endReason: reward >= 1 ? 'success' : 'done',
    policy: 'expert',
  };
}

function trialName(gameFile: string): string {
  const parts = gameFile.split('/').filter((part) => part !== '' && part !== 'game.tw-pddl');
  return parts.at(-1) ?? gameFile;
}

/** Reads a ShareGPT file (JSON array or JSONL); a bad record is reported with its line (JSONL) or index. */
export function importShareGptFile(file: string, options: ImportOptions): Trajectory[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new DataError(file, undefined, 'file not found or unreadable');
  }
  const trimmed = text.trimStart();
  const entries: { line: number | undefined; where: string; value: unknown }[] = [];
  if (trimmed.startsWith('[')) {
    let array: unknown;
    try {
      array = JSON.parse(text);
    } catch (error) {
      throw new DataError(file, undefined, `not valid JSON (${(error as Error).message})`);
    }
    (array as unknown[]).forEach((value, index) => entries.push({ line: undefined, where: `record ${index}: `, value }));
  } else {
    text.split('\n').forEach((line, index) => {
      if (line.trim() === '') return;
      try {
        entries.push({ line: index + 1, where: '', value: JSON.parse(line) });
      } catch (error) {
        throw new DataError(file, index + 1, `not valid JSON (${(error as Error).message})`);
      }
    });
  }
  return entries.map(({ line, where, value }) => {
    const parsed = ShareGptRecordSchema.safeParse(value);
    if (!parsed.success) throw new DataError(file, line, where + describeIssue(parsed.error));
    try {
      return shareGptToTrajectory(parsed.data, options);
    } catch (error) {
      throw new DataError(file, line, where + (error as Error).message);
    }
  });
}

// Pair stage: per task, a failed agent run against the expert's success (flipped when the agent did
// better, ties dropped). Written atomically; an existing file is the stage's result on resume.
import { existsSync } from 'node:fs';
import { readJsonl, writeJsonlAtomic } from '../../data/jsonl.ts';
import { PairSchema, type Pair, type Trajectory } from '../../data/schemas.ts';
import { toTrlPreference } from '../../data/export.ts';
import type { PipelineDeps } from '../deps.ts';
import { buildPairs, type PairStats } from '../pairs.ts';
import type { RunConfig } from '../config.ts';

export interface PairStageOptions {
  experts: readonly Trajectory[];
  explored: readonly Trajectory[];
  kind: RunConfig['dpo']['pairKind'];
  file: string;
  iteration: number;
  /** eto: Pair records; trl: TRL's conversational preference rows (prompt/chosen/rejected). */
  format?: 'eto' | 'trl';
  /** Read an existing file back instead of pairing again (the pipeline's resume); default true. */
  reuse?: boolean;
}

export interface PairStageResult {
  pairs: Pair[];
  /** null when the pairs were read back from an earlier run. */
  stats: PairStats | null;
}

export function pairStage(options: PairStageOptions, deps: Pick<PipelineDeps, 'log'>): PairStageResult {
  if (options.reuse !== false && existsSync(options.file) && (options.format ?? 'eto') === 'eto')
    return { pairs: readJsonl(options.file, PairSchema), stats: null };
  const { pairs, stats } = buildPairs(options.experts, options.explored, { kind: options.kind });
  writeJsonlAtomic(options.file, options.format === 'trl' ? pairs.map(toTrlPreference) : pairs);
  const successes = options.explored.filter((t) => t.success).length;
  deps.log(
    `iter ${options.iteration}: explored ${options.explored.length} tasks, ${successes} succeeded; ` +
      `${pairs.length} pairs ` +
      `(lose ${stats.lose}, win ${stats.win}, tie ${stats.tie}, malformed ${stats.malformed})`,
  );
  return { pairs, stats };
}

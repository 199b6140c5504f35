// Expert stage: the env's scripted expert plays the first training tasks (the SFT data and the chosen
// side of pairs). Resumes: finished episodes in the file are kept.
import type { Trajectory } from '../../data/schemas.ts';
import type { EnvModule } from '../../env/types.ts';
import type { PipelineDeps } from '../deps.ts';
import { playExpertStage } from '../episodes-stage.ts';
import { withBar } from '../progress.ts';
import { selectTasks, type TaskSelection } from './tasks.ts';

export interface ExpertStageOptions {
  module: EnvModule;
  /** expert.jsonl (appended episode by episode). */
  file: string;
  split: string;
  /** data.expertTasks */
  count: number;
  /** data.expertSeed: the expert's thought wording. */
  expertSeed: number;
}

export interface ExpertStageResult {
  trajectories: Trajectory[];
  count: TaskSelection['count'];
}

export function expertStage(options: ExpertStageOptions, deps: PipelineDeps): ExpertStageResult {
  const { tasks, count } = selectTasks(deps, options.module, {
    prefix: 'expert',
    split: options.split,
    requested: options.count,
    field: 'data.expertTasks',
    seed: options.expertSeed,
  });
  const trajectories = withBar(deps, 'expert data', tasks.length, 'episodes', (bar) =>
    playExpertStage(options.module, options.file, tasks, (done) => bar.update(done)),
  );
  return { trajectories, count };
}

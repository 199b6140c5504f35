// RFT baseline: SFT data plus the SFT policy's successful explorations, trained like SFT (one epoch) from
// the SFT model. Its exploration is iteration 1's (shared with ETO when ETO ran, else played here).
import type { Trajectory } from '../../data/schemas.ts';
import type { EnvModule } from '../../env/types.ts';
import type { TrainResult } from '../../train/trainer-backend.ts';
import { loraOptions, type RunConfig } from '../config.ts';
import type { PipelineDeps } from '../deps.ts';
import { rftSeed } from '../seeds.ts';
import { exploreStage, type PlayStageResult } from './play.ts';
import { sftStage } from './sft.ts';

export interface RftStageOptions {
  module: EnvModule;
  experts: readonly Trajectory[];
  /** The SFT policy (explores, and RFT starts from it). */
  sftModel: string;
  /** Iteration 1's exploration file. */
  exploreFile: string;
  trainSplit: string;
  config: RunConfig;
  stageDir: string;
  outModel: string;
  logFile: string;
}

export async function rftStage(
  options: RftStageOptions,
  deps: PipelineDeps,
): Promise<{ explored: PlayStageResult; trained: TrainResult | null }> {
  const { config } = options;
  const explored = await exploreStage(
    {
      module: options.module,
      file: options.exploreFile,
      split: options.trainSplit,
      policyDir: options.sftModel,
      seed: config.seed,
      maxSteps: config.data.maxSteps,
      iteration: 1,
      requested: config.data.exploreTasks,
      limit: options.experts.length,
      explore: config.explore,
    },
    deps,
  );
  const data = [...options.experts, ...explored.trajectories.filter((t) => t.success)];
  const trained = await sftStage(
    {
      stage: 'rft',
      trajectories: data,
      start: { kind: 'checkpoint', dir: options.sftModel },
      hyper: { ...config.sft, epochs: 1 },
      lora: loraOptions(config),
      seed: rftSeed(config.seed),
      stageDir: options.stageDir,
      outModel: options.outModel,
      logFile: options.logFile,
    },
    deps,
  );
  return { explored, trained };
}

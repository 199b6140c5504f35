// What a ScienceWorld task family provides: its names, variation count, ETO step cap and split counts,
// a builder for one variation (world + description + goals), and its gold expert.
import type { GoalSequence } from './goals.ts';
import type { Thing } from './things.ts';
import type { World } from './world.ts';

export interface TaskSetup {
  world: World;
  /** The task sentence, `Your task is to …`. */
  description: string;
  /** Fresh goals (called again on `reset task`). */
  makeGoals(): GoalSequence;
  /** Named things the gold expert may look at (the target substance, the right box …). */
  facts: Record<string, Thing | string | number | boolean>;
}

export interface ExpertStep {
  thought: string;
  action: string;
}

/** The read-only view of a running episode that an expert plans from. */
export interface ExpertView {
  readonly world: World;
  readonly setup: TaskSetup;
  readonly focus: Thing | null;
  readonly done: boolean;
}

export interface TaskFamily {
  /** ETO's sub-task name, e.g. `boil`, `use-thermometer`. */
  name: string;
  /** The legacy name with the numeric prefix (`task-1-boil`). */
  legacyName: string;
  variations: number;
  /** ETO's per-task step cap (`max_steps.json`). */
  maxSteps: number;
  /** ETO's split sizes (train / seen / unseen), before de-duplication against our blocks. */
  etoCounts: { train: number; seen: number; unseen: number };
  setup(variation: number): TaskSetup;
  /** The gold path as a lazy plan: each step is taken after the previous one ran (it may read the view). */
  expert(view: ExpertView): Iterator<ExpertStep>;
}

// ScienceWorld scoring: an ordered subgoal list S checked against the focused object, plus unordered
// optional subgoals U. score = idx/|S| + (#U done)·(1/(|S|+1))/|U|, capped at 1; −1 once failed.
// Goals are small predicate objects built by the task families; this file knows no task.
import type { Thing } from './things.ts';
import type { World } from './world.ts';

export type GoalResult = 'pass' | 'fail' | 'none';

export interface GoalContext {
  world: World;
  focus: Thing | null;
  /** Things the agent has measured with a thermometer this episode (by id). */
  measured: Set<number>;
}

export interface Goal {
  description: string;
  check(ctx: GoalContext): GoalResult;
  /** Some goals clear the focus once they pass (use-thermometer: focus the thermometer, then the object). */
  defocusOnPass?: boolean;
  /** Unordered goals: a key this one grants, and keys that must be granted before it counts. */
  key?: string;
  requires?: string[];
}

export class GoalSequence {
  private index = 0;
  private failedFlag = false;
  private readonly doneOptional = new Set<number>();
  private readonly keys = new Set<string>();

  constructor(readonly ordered: Goal[], readonly unordered: Goal[]) {}

  get passed(): number {
    return this.index;
  }

  get failed(): boolean {
    return this.failedFlag;
  }

  get completed(): boolean {
    return !this.failedFlag && this.index >= this.ordered.length;
  }

  /** Checks the goals once; ordered ones may pass several in a row. Returns true if the focus must clear. */
  evaluate(ctx: GoalContext): { defocus: boolean } {
    let defocus = false;
    if (this.failedFlag || this.completed) return { defocus };
    this.unordered.forEach((goal, i) => {
      if (this.doneOptional.has(i)) return;
      if (goal.requires && !goal.requires.every((k) => this.keys.has(k))) return;
      if (goal.check(ctx) === 'pass') {
        this.doneOptional.add(i);
        if (goal.key) this.keys.add(goal.key);
      }
    });
    let focus = ctx.focus;
    while (this.index < this.ordered.length) {
      const goal = this.ordered[this.index] as Goal;
      const result = goal.check({ ...ctx, focus });
      if (result === 'fail') {
        this.failedFlag = true;
        break;
      }
      if (result !== 'pass') break;
      this.index += 1;
      if (goal.defocusOnPass) {
        defocus = true;
        focus = null;
      }
    }
    return { defocus };
  }

  score(): number {
    if (this.failedFlag) return -1;
    const base = this.index / this.ordered.length;
    const bonus = this.unordered.length === 0
      ? 0
      : this.doneOptional.size * (1 / (this.ordered.length + 1)) / this.unordered.length;
    return Math.min(1, base + bonus);
  }

  /** Progress lines for `/goals` and debugging. */
  progress(): string {
    const lines = this.ordered.map((g, i) => `${i < this.index ? '[x]' : '[ ]'} ${g.description}`);
    lines.push(...this.unordered.map((g, i) => `${this.doneOptional.has(i) ? '[x]' : '[ ]'} (optional) ${g.description}`));
    return lines.join('\n');
  }
}

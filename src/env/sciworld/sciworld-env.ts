// The ScienceWorld Env: one task variation at a time, parse → ambiguity prompt or action → goal check →
// ticks (each followed by a goal check) → score. Completion or failure terminates; more than 200 ticks
// (ETO's envStepLimit) truncates. The reset observation is the look-around text, as the original's reset.
import { EnvError } from '../../errors.ts';
import type { Env, EnvInfo, ResetOptions, ResetResult, StepResult } from '../types.ts';
import { runAction } from './actions.ts';
import { cleanText, lookAround } from './describe.ts';
import type { ExpertView, TaskFamily, TaskSetup } from './family.ts';
import type { GoalSequence } from './goals.ts';
import type { Reading } from './parser.ts';
import { Parser, renderReading } from './parser.ts';
import { tick } from './physics.ts';
import { taskAt } from './splits.ts';
import type { Thing } from './things.ts';
import { roomOf } from './things.ts';
import type { World } from './world.ts';

export const ENV_STEP_LIMIT = 200;
export const NO_MATCH = 'No known action matches that input.';

export class SciWorldEnv implements Env, ExpertView {
  readonly name = 'sciworld';
  private state: {
    taskId: string;
    family: TaskFamily;
    variation: number;
    setup: TaskSetup;
    goals: GoalSequence;
    focus: Thing | null;
    measured: Set<number>;
    pending: Reading[] | null;
    moves: number;
    score: number;
    done: boolean;
  } | null = null;

  constructor(private readonly families: TaskFamily[]) {}

  reset(options: ResetOptions): ResetResult {
    const { family, variation } = taskAt(this.families, options.split, options.task);
    return this.load(family, variation, `${options.split}/${options.task}`);
  }

  /** Loads a family's variation directly (the AgentGym server indexes all variations this way). */
  load(family: TaskFamily, variation: number, taskId: string): ResetResult {
    const setup = family.setup(variation);
    const goals = setup.makeGoals();
    this.state = { taskId, family, variation, setup, goals, focus: null, measured: new Set(), pending: null, moves: 0, score: 0, done: false };
    this.evaluate();
    // goals the start already meets count from here: a step's reward is what that step changed
    this.state.score = goals.score();
    const observation = cleanText(lookAround(setup.world, this.here()));
    return { observation, info: this.info(false) };
  }

  get world(): World {
    return this.current().setup.world;
  }

  get setup(): TaskSetup {
    return this.current().setup;
  }

  get focus(): Thing | null {
    return this.current().focus;
  }

  get done(): boolean {
    return this.current().done;
  }

  get family(): TaskFamily {
    return this.current().family;
  }

  get variation(): number {
    return this.current().variation;
  }

  get goals(): GoalSequence {
    return this.current().goals;
  }

  taskDescription(): string {
    return this.current().setup.description;
  }

  step(action: string): StepResult {
    const state = this.current();
    if (state.done) throw new EnvError('sciworld: step() after the episode ended; call reset() first');
    const { text, invalid } = this.respond(action);
    const previous = state.score;
    state.score = state.goals.score();
    const terminated = state.goals.completed || state.goals.failed;
    const truncated = !terminated && state.moves > ENV_STEP_LIMIT;
    state.done = terminated || truncated;
    return { observation: cleanText(text), reward: state.score - previous, terminated, truncated, info: this.info(invalid) };
  }

  private respond(input: string): { text: string; invalid: boolean } {
    const state = this.current();
    if (state.pending) {
      const choices = state.pending;
      state.pending = null;
      const answer = input.trim();
      if (!/^\d+$/.test(answer)) return { text: `ERROR: Unknown response (${answer}).  Action cancelled.`, invalid: true };
      const chosen = choices[Number(answer)];
      if (!chosen) return { text: `ERROR: Value out of range (${answer}).  Action cancelled.`, invalid: true };
      return { text: this.execute(chosen), invalid: false };
    }
    const readings = new Parser(this.world, this.here()).parse(input);
    if (readings.length === 0) return { text: NO_MATCH, invalid: true };
    if (readings.length > 1) {
      state.pending = readings;
      const lines = readings.map((r, i) => `${i}:\t${renderReading(r)}`).join('\n');
      return { text: `Ambiguous request: Please enter the number for the action you intended (or blank to cancel):\n${lines}`, invalid: false };
    }
    return { text: this.execute(readings[0] as Reading), invalid: false };
  }

  private execute(reading: Reading): string {
    const state = this.current();
    const outcome = runAction(this.world, reading, {
      focus: (thing) => {
        state.focus = thing;
        return `You focus on the ${thing.name}.`;
      },
      resetTask: () => {
        state.goals = state.setup.makeGoals();
        state.focus = null;
        return 'You reset the goal progress and focus.';
      },
      taskText: () => `Task description:\n${state.setup.description}`,
      measured: (thing) => state.measured.add(thing.id),
    });
    this.evaluate();
    for (let i = 0; i < outcome.ticks && !this.finished(); i++) {
      tick(this.world);
      state.moves += 1;
      this.evaluate();
    }
    return outcome.text;
  }

  private finished(): boolean {
    const goals = this.current().goals;
    return goals.completed || goals.failed;
  }

  private evaluate(): void {
    const state = this.current();
    const { defocus } = state.goals.evaluate({ world: this.world, focus: state.focus, measured: state.measured });
    if (defocus) state.focus = null;
  }

  private here(): Thing {
    return roomOf(this.world.agent) as Thing;
  }

  private info(invalid: boolean): EnvInfo {
    const state = this.current();
    return {
      taskId: state.taskId,
      invalidAction: invalid,
      score: state.goals.score(),
      won: state.goals.completed,
      taskName: state.family.name,
      taskType: state.family.name,
      variation: state.variation,
      taskDescription: state.setup.description,
      moves: state.moves,
    };
  }

  private current(): NonNullable<SciWorldEnv['state']> {
    if (!this.state) throw new EnvError('sciworld: call reset() before step()');
    return this.state;
  }
}

// The ALFWorld Env: reset loads a game from the game source, step matches the command exactly against the
// admissible list (after trim), applies it and checks the goal. Invalid commands answer `Nothing happens.`
// and change nothing. The TextWorld wrapper's own cap of 50 steps truncates; ETO's 40 is the harness's.
import { EnvError } from '../../errors.ts';
import type { Env, EnvInfo, ResetOptions, ResetResult, StepResult } from '../types.ts';
import { admissibleCommands, execute } from './rules.ts';
import { isGoalMet, TASK_TYPE_NAMES } from './tasks.ts';
import { intro, NOTHING_HAPPENS } from './texts.ts';
import { cloneState, type Game, type GameState } from './world.ts';

export const ENV_STEP_LIMIT = 50;

/** Finds the game for a reset; throws EnvError for an unknown split or index. */
export type GameSource = (split: string, index: number) => Game;

export class AlfWorldEnv implements Env {
  readonly name = 'alfworld';
  private game: Game | null = null;
  private state: GameState | null = null;
  private admissible: string[] = [];
  private admissibleSet = new Set<string>();
  private taskId = '';
  private steps = 0;
  private finished = false;
  private won = false;

  constructor(private readonly source: GameSource) {}

  reset(options: ResetOptions): ResetResult {
    this.load(this.source(options.split, options.task), `${options.split}/${options.task}`);
    return { observation: intro(this.currentGame()), info: this.info(false) };
  }

  /** Loads a game directly (tests, the expert filter); `reset` is the usual way in. */
  load(game: Game, taskId: string): void {
    this.game = game;
    this.state = cloneState(game.initial);
    this.taskId = taskId;
    this.steps = 0;
    this.finished = false;
    this.won = false;
    this.refreshAdmissible();
  }

  step(action: string): StepResult {
    const game = this.currentGame();
    const state = this.state as GameState;
    if (this.finished) throw new EnvError(`alfworld: step() after the episode of ${this.taskId} ended; call reset() first`);
    this.steps += 1;
    const command = action.trim();
    let observation = NOTHING_HAPPENS;
    const valid = this.admissibleSet.has(command);
    if (valid) {
      observation = execute(game, state, command);
      this.refreshAdmissible();
      this.won = isGoalMet(game, state);
    }
    const truncated = !this.won && this.steps >= ENV_STEP_LIMIT;
    this.finished = this.won || truncated;
    return { observation, reward: this.won ? 1 : 0, terminated: this.won, truncated, info: this.info(!valid) };
  }

  get currentTask(): Game['task'] {
    return this.currentGame().task;
  }

  /** A copy of the current state (tests compare states around invalid commands). */
  snapshot(): GameState {
    return cloneState(this.state ?? this.currentGame().initial);
  }

  private currentGame(): Game {
    if (!this.game) throw new EnvError('alfworld: call reset() before step()');
    return this.game;
  }

  private refreshAdmissible(): void {
    this.admissible = admissibleCommands(this.currentGame(), this.state as GameState);
    this.admissibleSet = new Set(this.admissible);
  }

  private info(invalidAction: boolean): EnvInfo {
    const task = this.currentGame().task;
    return {
      taskId: this.taskId,
      validActions: this.admissible.slice(),
      invalidAction,
      won: this.won,
      score: this.won ? 1 : 0,
      taskType: TASK_TYPE_NAMES[task.type],
      floorplan: this.currentGame().floorplan.id,
    };
  }
}

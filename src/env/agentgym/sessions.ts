// Server-side env sessions for the AgentGym protocol: numbered envs of one module, each with its last
// result, and the mapping from AgentGym's flat task index (game / data_idx / session_id) to (split, task).
// It knows nothing about HTTP; server.ts and the protocol flavours do.
import { EnvError } from '../../errors.ts';
import type { Env, EnvInfo, EnvModule, SplitInfo } from '../types.ts';

export interface Session {
  id: number;
  env: Env;
  index: number | null;
  observation: string;
  info: EnvInfo;
  /** Best ScienceWorld-style score so far, in [0, 1]. */
  score: number;
  done: boolean;
  resetObservation: string;
}

export class Sessions {
  private readonly sessions = new Map<number, Session>();
  private nextId = 0;

  constructor(
    readonly module: EnvModule,
    private readonly splits: SplitInfo[],
    /** A single split to index into; null: all listed splits one after another. */
    private readonly split: string | null,
    private readonly moduleOptions?: Record<string, unknown>,
  ) {}

  create(id?: number): Session {
    const session: Session = {
      id: id ?? this.nextId++,
      env: this.module.create(this.moduleOptions),
      index: null,
      observation: '',
      info: { taskId: '' },
      score: 0,
      done: false,
      resetObservation: '',
    };
    this.sessions.set(session.id, session);
    return session;
  }

  ids(): number[] {
    return [...this.sessions.keys()];
  }

  get(id: unknown): Session {
    const session = typeof id === 'number' ? this.sessions.get(id) : undefined;
    if (!session) throw new EnvError(`The environment with id ${JSON.stringify(id)} does not exist.`);
    return session;
  }

  close(id: unknown): void {
    this.sessions.delete(this.get(id).id);
  }

  /** The (split, task) a flat index names. */
  locate(index: unknown): { split: string; task: number } {
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) throw new EnvError(`task index must be a non-negative integer, got ${JSON.stringify(index)}`);
    if (this.split !== null) return { split: this.split, task: index };
    let offset = index;
    for (const split of this.splits) {
      if (offset < split.size) return { split: split.name, task: offset };
      offset -= split.size;
    }
    const total = this.splits.reduce((sum, s) => sum + s.size, 0);
    throw new EnvError(`task index ${index} is past the last task (${total - 1}) of ${this.module.name}`);
  }

  reset(session: Session, index: unknown): void {
    const { split, task } = this.locate(index);
    const reset = session.env.reset({ split, task });
    session.index = index as number;
    session.observation = reset.observation;
    session.resetObservation = reset.observation;
    session.info = reset.info;
    session.score = Math.max(0, reset.info.score ?? 0);
    session.done = false;
  }

  step(session: Session, action: string): { reward: number; scoreBefore: number } {
    if (session.index === null) throw new EnvError(`The environment with id ${session.id} has not been reset.`);
    if (session.done) throw new EnvError(`The task with environment ${session.id} has finished.`);
    const scoreBefore = session.score;
    const result = session.env.step(action);
    session.observation = result.observation;
    session.info = result.info;
    session.score = Math.max(session.score, result.info.score ?? 0);
    session.done = result.terminated || result.truncated;
    return { reward: result.reward, scoreBefore };
  }
}

/** AgentGym's offset for a (split, task) when the server indexes all listed splits in order. */
export function flatIndex(splits: SplitInfo[], split: string, task: number): number {
  let offset = 0;
  for (const info of splits) {
    if (info.name === split) return offset + task;
    offset += info.size;
  }
  throw new EnvError(`unknown split "${split}"; known: ${splits.map((s) => s.name).join(', ')}`);
}

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
  /** When the session was last used (the injected clock's ms), for idle expiry. */
  lastUsedMs: number;
}

/** Limits for long runs: a cap on live sessions and idle expiry (both off when absent). */
export interface SessionLimits {
  maxSessions?: number;
  /** Idle sessions older than this are freed; needs `now`. */
  ttlMs?: number;
  /** The clock (ms), injected by the CLI; without it sessions never expire. */
  now?: () => number;
}

/** Counters for `GET /stats`. */
export interface SessionCounts {
  open: number;
  created: number;
  closed: number;
  expired: number;
  rejected: number;
}

/** Thrown by create() when the session cap is reached (the server answers 429). */
export class SessionsFull extends EnvError {}

export class Sessions {
  private readonly sessions = new Map<number, Session>();
  private nextId = 0;
  private readonly counts = { created: 0, closed: 0, expired: 0, rejected: 0 };
  private lastSweepMs = -Infinity;

  constructor(
    readonly module: EnvModule,
    private readonly splits: SplitInfo[],
    /** A single split to index into; null: all listed splits one after another. */
    private readonly split: string | null,
    private readonly moduleOptions?: Record<string, unknown>,
    private readonly limits: SessionLimits = {},
  ) {}

  create(id?: number): Session {
    this.expireIdle(true);
    const cap = this.limits.maxSessions;
    if (cap !== undefined && this.sessions.size >= cap) {
      this.counts.rejected++;
      throw new SessionsFull(`all ${cap} sessions are in use; close one (POST /close) or wait for idle ones to expire`);
    }
    const session: Session = {
      id: id ?? this.nextId++,
      env: this.module.create(this.moduleOptions),
      index: null,
      observation: '',
      info: { taskId: '' },
      score: 0,
      done: false,
      resetObservation: '',
      lastUsedMs: this.limits.now?.() ?? 0,
    };
    this.sessions.set(session.id, session);
    this.counts.created++;
    return session;
  }

  /**
   * Frees every session idle for longer than the TTL; returns how many it freed. Unless forced, it sweeps at
   * most once per tenth of the TTL, so that calling it on every request stays cheap with thousands of sessions.
   */
  expireIdle(force = false): number {
    const { ttlMs, now } = this.limits;
    if (ttlMs === undefined || now === undefined) return 0;
    const time = now();
    if (!force && time - this.lastSweepMs < ttlMs / 10) return 0;
    this.lastSweepMs = time;
    const cutoff = time - ttlMs;
    let freed = 0;
    for (const [id, session] of this.sessions) {
      if (session.lastUsedMs >= cutoff) continue;
      this.sessions.delete(id);
      freed++;
    }
    this.counts.expired += freed;
    return freed;
  }

  stats(): SessionCounts {
    return { open: this.sessions.size, ...this.counts };
  }

  ids(): number[] {
    return [...this.sessions.keys()];
  }

  get(id: unknown): Session {
    const session = typeof id === 'number' ? this.sessions.get(id) : undefined;
    if (!session) throw new EnvError(`The environment with id ${JSON.stringify(id)} does not exist.`);
    if (this.limits.now) session.lastUsedMs = this.limits.now();
    return session;
  }

  close(id: unknown): void {
    this.sessions.delete(this.get(id).id);
    this.counts.closed++;
  }

  /** The (split, task) a flat index names. */
  locate(index: unknown): { split: string; task: number } {
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
      throw new EnvError(`task index must be a non-negative integer, got ${JSON.stringify(index)}`);
    }
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

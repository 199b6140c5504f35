// RemoteEnv: the Env interface over an AgentGym environment server (eto-method.md §8.1–8.3), so the real
// Python ALFWorld, WebShop or SciWorld servers (or ours, `eto env serve`) plug into eto. Blocking calls
// through SyncHttp; the server must run in another process. Call close() when done.
import { EnvError } from '../../errors.ts';
import { BANNER, NOTHING_HAPPENS } from '../alfworld/texts.ts';
import type { Env, EnvInfo, ResetOptions, ResetResult, SplitInfo, StepResult } from '../types.ts';
import type { Protocol } from './routes.ts';
import { flatIndex } from './sessions.ts';
import { SyncHttp } from './sync-http.ts';

export interface RemoteEnvOptions {
  /** e.g. `http://127.0.0.1:36001` */
  baseUrl: string;
  protocol: Protocol;
  /** Env name reported by `name`; default the protocol name. */
  name?: string;
  /** The server's split layout (all listed splits in order); without it the task number is sent as is. */
  splits?: SplitInfo[];
  timeoutMs?: number;
}


type Json = Record<string, unknown>;

export class RemoteEnv implements Env {
  readonly name: string;
  private readonly http: SyncHttp;
  private readonly base: string;
  private id: number | null = null;
  private taskId = '';
  private score = 0;
  private done = true;
  private started = false;

  constructor(private readonly options: RemoteEnvOptions) {
    this.name = options.name ?? options.protocol;
    this.http = new SyncHttp(options.timeoutMs);
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  reset(options: ResetOptions): ResetResult {
    const index = this.options.splits ? flatIndex(this.options.splits, options.split, options.task) : options.task;
    const id = this.ensureCreated();
    this.taskId = `${options.split}/${options.task}`;
    this.score = 0;
    this.done = false;
    this.started = true;
    const protocol = this.options.protocol;
    if (protocol === 'alfworld') {
      const reply = this.call('POST', '/reset', { id, game: index, world_type: 'Text' }) as Json;
      const text = String(reply.observation ?? '');
      // The server drops the banner paragraph and joins with one newline; restore the game's intro.
      const observation = `${BANNER}\n\n${text.replace('\nYour task is to: ', '\n\nYour task is to: ')}`;
      const taskType = String(reply.task_type ?? '').split('/')[0] ?? '';
      return { observation, info: { taskId: this.taskId, validActions: strings(reply.available_actions), taskType } };
    }
    if (protocol === 'sciworld') {
      const reply = this.call('POST', '/reset', { id, data_idx: index }) as Json;
      this.score = clampScore(reply.score);
      return { observation: String(reply.observation ?? ''), info: { taskId: this.taskId, taskDescription: String(reply.task_description ?? ''), score: this.score } };
    }
    this.call('POST', '/reset', { env_idx: id, session_id: index });
    const observation = this.call('GET', `/observation?env_idx=${id}`);
    return { observation: String(observation), info: { taskId: this.taskId, ...this.webshopActions(id) } };
  }

  step(action: string): StepResult {
    if (!this.started) throw new EnvError(`${this.name}: call reset() before step()`);
    if (this.done) throw new EnvError(`${this.name}: step() after the episode of ${this.taskId} ended; call reset() first`);
    const id = this.id as number;
    const protocol = this.options.protocol;
    let observation: string;
    let reward: number;
    let finished: boolean;
    let won = false;
    let info: EnvInfo;
    if (protocol === 'alfworld') {
      const reply = this.call('POST', '/step', { id, action }) as Json;
      observation = String(reply.observation ?? '');
      reward = Number(reply.reward ?? 0);
      finished = reply.done === true;
      won = reward > 0;
      info = { taskId: this.taskId, validActions: strings(reply.available_actions), won, invalidAction: observation === NOTHING_HAPPENS };
    } else if (protocol === 'sciworld') {
      const reply = this.call('POST', '/step', { id, action }) as Json;
      observation = String(reply.observation ?? '');
      const score = clampScore(reply.score);
      reward = score - this.score;
      this.score = Math.max(this.score, score);
      finished = reply.done === true;
      won = score >= 1;
      info = { taskId: this.taskId, score: this.score, won };
    } else {
      const reply = this.call('POST', '/step', { env_idx: id, action }) as Json;
      observation = String(reply.state ?? '');
      reward = Number(reply.reward ?? 0);
      finished = reply.done === true;
      won = finished && reward >= 1;
      info = { taskId: this.taskId, score: reward, won, ...(finished ? {} : this.webshopActions(id)) };
    }
    this.done = finished;
    // AgentGym reports only `done`: a finished episode without a win is the server's own step cap.
    return { observation, reward, terminated: finished && (won || protocol !== 'alfworld'), truncated: finished && !won && protocol === 'alfworld', info };
  }

  close(): void {
    if (this.id !== null && this.options.protocol === 'sciworld') {
      try {
        this.call('POST', '/close', { id: this.id });
      } catch {
        // closing is best effort: the server may already be gone
      }
    }
    this.http.close();
  }

  private ensureCreated(): number {
    if (this.id !== null) return this.id;
    const reply = this.call('POST', '/create');
    const id = this.options.protocol === 'webshop' ? reply : (reply as Json).id;
    if (typeof id !== 'number') throw new EnvError(`${this.base}/create: expected an env id, got ${JSON.stringify(reply)}`);
    this.id = id;
    return id;
  }

  private webshopActions(id: number): { validActions: string[] } {
    const reply = this.call('GET', `/available_actions?env_idx=${id}`) as Json;
    const clicks = strings(reply.clickables).map((c) => `click[${c}]`);
    return { validActions: reply.has_search_bar === true ? ['search[...]', ...clicks] : clicks };
  }

  private call(method: 'GET' | 'POST', path: string, body?: unknown): unknown {
    const answer = this.http.request(method, `${this.base}${path}`, body);
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.text);
    } catch {
      throw new EnvError(`${method} ${this.base}${path}: HTTP ${answer.status}, not JSON: ${answer.text.slice(0, 200)}`);
    }
    const error = parsed !== null && typeof parsed === 'object' ? ((parsed as Json).error ?? (parsed as Json).detail) : undefined;
    if (error !== undefined || answer.status >= 400) {
      throw new EnvError(`${method} ${this.base}${path}: ${typeof error === 'string' ? error : JSON.stringify(error ?? parsed)} (HTTP ${answer.status})`);
    }
    return parsed;
  }
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** SciWorld's 0–100 score as [0, 1]; failures can be negative, so clamp. */
function clampScore(value: unknown): number {
  const score = Number(value ?? 0) / 100;
  return Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
}

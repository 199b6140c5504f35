// The three AgentGym server protocols (eto-method.md §8.1–8.3) on top of Sessions: field names, paths
// and bodies as the Python servers have them. ALFWorld and SciWorld report env errors as HTTP 200
// `{"error": …}`; WebShop as 400 `{"error": …}`. Request validation errors are 422 `{"detail": …}`.
import { Rng } from '../../rng.ts';
import type { Session, Sessions } from './sessions.ts';

export type Protocol = 'alfworld' | 'webshop' | 'sciworld';

export interface Reply {
  status: number;
  body: unknown;
}

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body (undefined when there was none). */
  body: unknown;
}

export class BadRequest extends Error {}

const ok = (body: unknown): Reply => ({ status: 200, body });

function field(body: unknown, name: string, type: 'number' | 'string'): number | string {
  const value = (body as Record<string, unknown> | null | undefined)?.[name];
  if (typeof value !== type) throw new BadRequest(`field "${name}" must be a ${type}, got ${JSON.stringify(value) ?? 'nothing'}`);
  return value as number | string;
}

function queryId(request: Request, name: string): number {
  const raw = request.query.get(name);
  const id = raw === null ? NaN : Number(raw);
  if (!Number.isInteger(id)) throw new BadRequest(`query parameter "${name}" must be an integer, got ${JSON.stringify(raw)}`);
  return id;
}

/** ALFWorld's step text: ETO's formatObservation without its `Observation: ` prefix (arrive line dropped). */
function plainObservation(sessions: Sessions, observation: string): string {
  return sessions.module.harness.formatObservation(observation).replace(/^Observation:\s?/, '');
}

export function alfworldRoute(sessions: Sessions, request: Request): Reply | null {
  const { method, path } = request;
  const actions = (s: Session): string[] => s.info.validActions ?? [];
  if (method === 'GET' && path === '/') return ok('This is environment AlfWorld.');
  if (method === 'POST' && path === '/create') return ok({ id: sessions.create().id });
  if (method === 'POST' && path === '/reset') {
    const session = sessions.get(field(request.body, 'id', 'number'));
    sessions.reset(session, field(request.body, 'game', 'number'));
    session.observation = sessions.module.harness.taskMessage({ observation: session.resetObservation, info: session.info });
    const taskType = typeof session.info.taskType === 'string' ? session.info.taskType : sessions.module.name;
    return ok({ id: session.id, observation: session.observation, available_actions: actions(session), task_type: `${taskType}/${session.info.taskId}` });
  }
  if (method === 'POST' && path === '/step') {
    const session = sessions.get(field(request.body, 'id', 'number'));
    const action = field(request.body, 'action', 'string') as string;
    sessions.step(session, action);
    session.observation = plainObservation(sessions, session.observation);
    return ok({ observation: session.observation, reward: session.info.won === true ? 1 : 0, available_actions: actions(session), done: session.done });
  }
  if (method === 'POST' && path === '/close') {
    // Not in AgentGym's ALFWorld server (eto-method.md §8.2); added so long runs can free their envs.
    sessions.close(field(request.body, 'id', 'number'));
    return ok(true);
  }
  if (method === 'GET' && path === '/available_actions') return ok(actions(sessions.get(queryId(request, 'id'))));
  if (method === 'GET' && path === '/observation') return ok(sessions.get(queryId(request, 'id')).observation);
  if (method === 'GET' && path === '/detail') {
    const s = sessions.get(queryId(request, 'id'));
    // `deleted` is always false here: a closed session is gone, and get() refuses its id
    return ok({ world_type: 'Text', game: s.index, observation: s.observation, available_actions: actions(s), done: s.done, reward: s.info.won === true ? 1 : 0, deleted: false });
  }
  return null;
}

export function sciworldRoute(sessions: Sessions, request: Request): Reply | null {
  const { method, path } = request;
  const score100 = (s: Session): number => Math.round(100 * s.score);
  if (method === 'GET' && path === '/') return ok('This is environment ScienceWorld.');
  if (method === 'POST' && path === '/create') return ok({ id: sessions.create().id });
  if (method === 'POST' && path === '/reset') {
    const session = sessions.get(field(request.body, 'id', 'number'));
    sessions.reset(session, field(request.body, 'data_idx', 'number'));
    const description = sessions.module.harness.taskMessage({ observation: session.resetObservation, info: session.info });
    return ok({
      task_name: typeof session.info.taskName === 'string' ? session.info.taskName : session.info.taskId,
      var_num: typeof session.info.variation === 'number' ? session.info.variation : session.index,
      task_description: description,
      observation: session.observation,
      reward: 0,
      score: score100(session),
      deleted: false,
      done: false,
    });
  }
  if (method === 'POST' && path === '/step') {
    const session = sessions.get(field(request.body, 'id', 'number'));
    const { scoreBefore } = sessions.step(session, field(request.body, 'action', 'string') as string);
    return ok({ observation: session.observation, reward: Math.round(100 * (session.score - scoreBefore)), score: score100(session), done: session.done });
  }
  if (method === 'POST' && path === '/close') {
    sessions.close(field(request.body, 'id', 'number'));
    return ok(true);
  }
  if (method === 'GET' && path === '/observation') return ok(sessions.get(queryId(request, 'id')).observation);
  if (method === 'GET' && path === '/action_hint') return ok({ possible_actions: sessions.get(queryId(request, 'id')).info.validActions ?? [], possible_objects: [] });
  if (method === 'GET' && path === '/goals') return ok({ goals: '' });
  if (method === 'GET' && path === '/task_description') {
    const s = sessions.get(queryId(request, 'id'));
    return ok(sessions.module.harness.taskMessage({ observation: s.resetObservation, info: s.info }));
  }
  if (method === 'GET' && path === '/detail') {
    const s = sessions.get(queryId(request, 'id'));
    return ok({ observation: s.observation, score: score100(s), done: s.done, deleted: false, task: s.info.taskId });
  }
  return null;
}

/** WebShop hands out random env ids in [0, 48950076]; ours come from a seeded Rng. */
export function webshopRoute(sessions: Sessions, request: Request, rng: Rng): Reply | null {
  const { method, path } = request;
  if (method === 'GET' && path === '/') return ok('ok');
  if (method === 'GET' && path === '/list_envs') return ok(sessions.ids());
  if (method === 'POST' && path === '/create') {
    let id = rng.int(48950077);
    while (sessions.ids().includes(id)) id = rng.int(48950077);
    return ok(sessions.create(id).id);
  }
  if (method === 'POST' && path === '/reset') {
    const session = sessions.get(field(request.body, 'env_idx', 'number'));
    const raw = (request.body as Record<string, unknown>).session_id;
    sessions.reset(session, raw === null || raw === undefined ? 0 : raw);
    return ok([session.observation, null]);
  }
  if (method === 'POST' && path === '/step') {
    const session = sessions.get(field(request.body, 'env_idx', 'number'));
    const { reward } = sessions.step(session, field(request.body, 'action', 'string') as string);
    return ok({ state: session.observation, reward, done: session.done, info: null });
  }
  if (method === 'POST' && path === '/close') {
    // The Python client calls /close but WebShop's server lacks it (issue #62, its memory leak); ours frees the env.
    sessions.close(field(request.body, 'env_idx', 'number'));
    return ok(true);
  }
  const s = (): Session => sessions.get(queryId(request, 'env_idx'));
  if (method === 'GET' && path === '/observation') return ok(s().observation);
  if (method === 'GET' && path === '/available_actions') {
    const valid = s().info.validActions ?? [];
    const clickables = valid.flatMap((a) => /^click\[(.*)\]$/s.exec(a)?.[1] ?? []);
    return ok({ has_search_bar: valid.some((a) => a.startsWith('search[')), clickables });
  }
  const instruction = (x: Session): string => (typeof x.info.instruction === 'string' ? x.info.instruction : '');
  if (method === 'GET' && path === '/instruction_text') return ok(instruction(s()));
  if (method === 'GET' && path === '/state') {
    const x = s();
    return ok({ url: typeof x.info.url === 'string' ? x.info.url : '', html: '', instruction_text: instruction(x) });
  }
  return null;
}

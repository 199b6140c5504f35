// An AgentGym-protocol HTTP server for any registered env (node:http). Binds loopback unless told
// otherwise, caps request bodies, answers bad JSON, unknown paths and unknown ids with a JSON error and
// keeps serving. With `web`, each request is first offered to the module's webHandler.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AppError } from '../../errors.ts';
import { Rng } from '../../rng.ts';
import type { EnvModule } from '../types.ts';
import { alfworldRoute, BadRequest, sciworldRoute, webshopRoute, type Protocol, type Reply, type Request } from './routes.ts';
import { Sessions, SessionsFull, type SessionCounts } from './sessions.ts';

export interface ServeOptions {
  host?: string;
  port?: number;
  protocol?: Protocol;
  /** Index one split with the protocol's task index; default: all listed splits one after another. */
  split?: string;
  moduleOptions?: Record<string, unknown>;
  web?: boolean;
  /** Largest accepted request body in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  seed?: number;
  /** Cap on live sessions; `/create` past it answers 429. */
  maxSessions?: number;
  /** Idle sessions are freed after this many seconds (needs `now`). */
  sessionTtlS?: number;
  /** The clock in ms, injected by the CLI (src/cli reads the clock). */
  now?: () => number;
  /** Resident memory in bytes, for `/stats` (default: this process's RSS). */
  residentBytes?: () => number;
}

/** What `GET /stats` answers: the sessions' counters plus the server's own. */
export interface ServerStats extends SessionCounts {
  requests: number;
  errors: number;
  rssBytes: number;
}

/** A request handler that can also report its stats and sweep idle sessions. */
export interface EnvHandler {
  (request: IncomingMessage, response: ServerResponse): Promise<void>;
  stats(): ServerStats;
  expireIdle(): number;
}

export function protocolFor(envName: string): Protocol {
  return envName === 'webshop' ? 'webshop' : envName === 'sciworld' ? 'sciworld' : 'alfworld';
}

class TooLarge extends Error {}

function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the cap the rest is read and dropped, so that the client still gets the 413 answer.
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > 64 * limit) request.destroy(); // a client that never stops sending
    });
    request.on('end', () => {
      if (size > limit) reject(new TooLarge(`request body is larger than ${limit} bytes`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}

function send(response: ServerResponse, reply: Reply): void {
  const text = JSON.stringify(reply.body);
  response.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Builds the request handler (exported for tests that do not need a socket). */
export function createHandler(module: EnvModule, options: ServeOptions = {}): EnvHandler {
  const protocol = options.protocol ?? protocolFor(module.name);
  const sessions = new Sessions(module, module.splits(options.moduleOptions), options.split ?? null, options.moduleOptions, {
    ...(options.maxSessions === undefined ? {} : { maxSessions: options.maxSessions }),
    ...(options.sessionTtlS === undefined ? {} : { ttlMs: options.sessionTtlS * 1000 }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const counters = { requests: 0, errors: 0 };
  const residentBytes = options.residentBytes ?? (() => process.memoryUsage.rss());
  const stats = (): ServerStats => ({ ...sessions.stats(), ...counters, rssBytes: residentBytes() });
  const rng = new Rng(options.seed ?? 0);
  const limit = options.maxBodyBytes ?? 1 << 20;
  const envErrorStatus = protocol === 'webshop' ? 400 : 200;
  const handler = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    counters.requests++;
    try {
      sessions.expireIdle();
      if (options.web && module.webHandler && (await module.webHandler(request, response))) return;
      const url = new URL(request.url ?? '/', 'http://localhost');
      const text = request.method === 'POST' ? await readBody(request, limit) : '';
      let body: unknown;
      if (text.trim() !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          send(response, { status: 422, body: { detail: 'request body is not valid JSON' } });
          return;
        }
      }
      const req: Request = { method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, body };
      if (req.method === 'GET' && req.path === '/stats') {
        // ?gc=1 collects garbage first when node runs with --expose-gc, so a soak measures what is retained
        const gc = (globalThis as { gc?: () => void }).gc;
        const collect = req.query.get('gc') === '1' && typeof gc === 'function';
        if (collect) gc();
        send(response, { status: 200, body: { ...stats(), collected: collect } });
        return;
      }
      const reply =
        protocol === 'webshop' ? webshopRoute(sessions, req, rng) : protocol === 'sciworld' ? sciworldRoute(sessions, req) : alfworldRoute(sessions, req);
      send(response, reply ?? { status: 404, body: { detail: `no route ${req.method} ${req.path}` } });
    } catch (error) {
      counters.errors++;
      if (response.headersSent) return;
      if (error instanceof SessionsFull) send(response, { status: 429, body: { error: error.message } });
      else if (error instanceof TooLarge) send(response, { status: 413, body: { detail: error.message } });
      else if (error instanceof BadRequest) send(response, { status: 422, body: { detail: error.message } });
      else if (error instanceof AppError) send(response, { status: envErrorStatus, body: { error: error.message } });
      else send(response, { status: 500, body: { error: error instanceof Error ? error.message : String(error) } });
    }
  };
  return Object.assign(handler, { stats, expireIdle: () => sessions.expireIdle(true) });
}

/** Starts listening; resolves with the server and the port it got (port 0 picks a free one). */
export async function serve(module: EnvModule, options: ServeOptions = {}): Promise<{ server: Server; port: number; host: string }> {
  const handler = createHandler(module, options);
  const server = createServer((request, response) => void handler(request, response));
  if (options.sessionTtlS !== undefined && options.now !== undefined) {
    // Idle sessions are also freed when no request comes; unref() lets the process exit regardless.
    const sweep = setInterval(() => handler.expireIdle(), Math.max(1000, (options.sessionTtlS * 1000) / 10));
    sweep.unref();
    server.once('close', () => clearInterval(sweep));
  }
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8000, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 8000);
  return { server, port, host };
}

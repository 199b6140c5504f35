// An AgentGym-protocol HTTP server for any registered env (node:http). Binds loopback unless told
// otherwise, caps request bodies, answers bad JSON, unknown paths and unknown ids with a JSON error and
// keeps serving. With `web`, each request is first offered to the module's webHandler.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AppError } from '../../errors.ts';
import { Rng } from '../../rng.ts';
import type { EnvModule } from '../types.ts';
import { alfworldRoute, BadRequest, sciworldRoute, webshopRoute, type Protocol, type Reply, type Request } from './routes.ts';
import { Sessions } from './sessions.ts';

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
export function createHandler(module: EnvModule, options: ServeOptions = {}): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const protocol = options.protocol ?? protocolFor(module.name);
  const sessions = new Sessions(module, module.splits(options.moduleOptions), options.split ?? null, options.moduleOptions);
  const rng = new Rng(options.seed ?? 0);
  const limit = options.maxBodyBytes ?? 1 << 20;
  const envErrorStatus = protocol === 'webshop' ? 400 : 200;
  return async (request, response) => {
    try {
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
      const reply =
        protocol === 'webshop' ? webshopRoute(sessions, req, rng) : protocol === 'sciworld' ? sciworldRoute(sessions, req) : alfworldRoute(sessions, req);
      send(response, reply ?? { status: 404, body: { detail: `no route ${req.method} ${req.path}` } });
    } catch (error) {
      if (response.headersSent) return;
      if (error instanceof TooLarge) send(response, { status: 413, body: { detail: error.message } });
      else if (error instanceof BadRequest) send(response, { status: 422, body: { detail: error.message } });
      else if (error instanceof AppError) send(response, { status: envErrorStatus, body: { error: error.message } });
      else send(response, { status: 500, body: { error: error instanceof Error ? error.message : String(error) } });
    }
  };
}

/** Starts listening; resolves with the server and the port it got (port 0 picks a free one). */
export async function serve(module: EnvModule, options: ServeOptions = {}): Promise<{ server: Server; port: number; host: string }> {
  const handler = createHandler(module, options);
  const server = createServer((request, response) => void handler(request, response));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8000, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 8000);
  return { server, port, host };
}

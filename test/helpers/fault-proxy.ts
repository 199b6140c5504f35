// A fault-injecting HTTP proxy on loopback: forwards requests to a target server, but a seeded share of
// them gets a fault instead: 429 with Retry-After, 500, a reset connection, a slow (but correct) reply, or
// no reply at all (the client must time out). Counts what it injected so tests can compare with the
// retry counts the client reports.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Rng } from '../../src/rng.ts';
import { readBody } from './openai-test-server.ts';

export type Fault = 'rate_limit' | 'server_error' | 'reset' | 'slow' | 'hang';

export interface FaultProxyOptions {
  /** Target base, e.g. http://127.0.0.1:1234 (no /v1). */
  target: string;
  seed: number;
  /** Share of requests that get a fault, 0..1. */
  share: number;
  faults: readonly Fault[];
  /** Retry-After seconds sent with 429 (default 0). */
  retryAfterS?: number;
  /** Delay of a slow reply (default 200 ms). */
  slowMs?: number;
}

export interface FaultProxy {
  url: string;
  injected: Map<Fault, number>;
  forwarded(): number;
  close(): Promise<void>;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const rng = new Rng(options.seed);
  const injected = new Map<Fault, number>();
  const sockets = new Set<Socket>();
  let forwarded = 0;
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      // draw both numbers for every request so that the fault sequence depends only on the request order
      const roll = rng.next();
      const pick = options.faults[Math.floor(rng.next() * options.faults.length)];
      const fault = roll < options.share ? pick : undefined;
      if (fault !== undefined) injected.set(fault, (injected.get(fault) ?? 0) + 1);
      switch (fault) {
        case 'rate_limit':
          return void respond(response, 429, { 'retry-after': String(options.retryAfterS ?? 0) }, 'rate limited');
        case 'server_error':
          return void respond(response, 500, {}, 'injected server error');
        case 'reset':
          return void request.socket.destroy();
        case 'hang':
          return; // never answered: the client's timeout ends it, and close() drops the socket
        case 'slow':
          await new Promise((resolve) => setTimeout(resolve, options.slowMs ?? 200));
          break;
      }
      forwarded += 1;
      await forward(options.target, request, body, response);
    })().catch(() => request.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    injected,
    forwarded: () => forwarded,
    close: () => new Promise((resolve) => {
      sockets.forEach((socket) => socket.destroy());
      server.close(() => resolve());
    }),
  };
}

function respond(response: ServerResponse, status: number, headers: Record<string, string>, message: string): void {
  const text = JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } });
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(text);
}

function forward(target: string, request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      new URL(request.url ?? '/', target),
      { method: request.method, headers: { 'content-type': 'application/json' } },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
        reply.on('end', () => resolve());
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

// HTTP plumbing for the server: read a JSON body under a size cap, send JSON or an OpenAI-shaped error,
// and server-sent events. Knows nothing about models or routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errorBody } from './api-error.ts';

/** Reads the whole body as JSON; 413 past `maxBytes` (the rest is not buffered), 400 when it is not JSON. */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError(400, `the request body is not valid JSON: ${(error as Error).message}`, 'invalid_request_error', null,
      'invalid_json');
  }
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, `the request body is larger than the server's limit of ${maxBytes} bytes`, 'invalid_request_error',
    null, 'request_too_large');
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

export function sendError(response: ServerResponse, error: ApiError): void {
  // a refused request may have an unread body: close the connection rather than read megabytes to keep it alive
  const headers: Record<string, string> = error.status === 413 ? { connection: 'close' } : {};
  if (error.status === 429 || error.status === 503) headers['retry-after'] = '1';
  sendJson(response, error.status, errorBody(error), headers);
}

/** A server-sent event stream: `data: <json>` events, ended by `data: [DONE]`. */
export interface EventStream {
  send(event: unknown): void;
  end(): void;
  /** true once the client went away; generation for it can stop */
  readonly closed: boolean;
}

export function openEventStream(response: ServerResponse): EventStream {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  let closed = false;
  response.on('close', () => (closed = true));
  return {
    send: (event) => {
      if (!closed) response.write(`data: ${JSON.stringify(event)}\n\n`);
    },
    end: () => {
      if (!closed) response.end('data: [DONE]\n\n');
      closed = true;
    },
    get closed() {
      return closed;
    },
  };
}

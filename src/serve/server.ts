// The OpenAI-compatible HTTP server of one eto checkpoint: routes, the body cap, and the rule that every failure
// is a JSON error response (4xx for the request's fault, 500 otherwise) and never takes the process down.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApiError } from './api-error.ts';
import { handleChat } from './chat-handler.ts';
import { handleCompletion } from './completion-handler.ts';
import { readJsonBody, sendError, sendJson } from './http.ts';
import type { ServedModel } from './served-model.ts';

export interface ServerOptions {
  /** largest request body accepted, in bytes */
  maxBodyBytes: number;
}

export function createOpenAiServer(served: ServedModel, options: ServerOptions): Server {
  const created = served.deps.now();
  return createServer((request, response) => {
    route(served, created, options, request, response).catch((error: unknown) => {
      const apiError = error instanceof ApiError ? error
        : new ApiError(500, `internal error: ${error instanceof Error ? error.message : String(error)}`, 'server_error');
      if (response.headersSent) response.destroy(); // mid-stream: all that can be done is to end it
      else sendError(response, apiError);
    });
  });
}

async function route(served: ServedModel, created: number, options: ServerOptions, request: IncomingMessage,
  response: ServerResponse): Promise<void> {
  const path = (request.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
  const post = request.method === 'POST';
  if (request.method === 'GET' && path === '/v1/models') {
    return sendJson(response, 200, {
      object: 'list', data: [{ id: served.name, object: 'model', created, owned_by: 'eto' }],
    });
  }
  if (request.method === 'GET' && path === '/health') return sendJson(response, 200, { ...served.batcher.load, ...served.batcher.stats });
  if (post && path === '/v1/chat/completions') return handleChat(served, await readJsonBody(request, options.maxBodyBytes), response);
  if (post && path === '/v1/completions') return handleCompletion(served, await readJsonBody(request, options.maxBodyBytes), response);
  throw new ApiError(404, `no route ${request.method} ${path}`, 'not_found_error', null, 'unknown_url');
}

// A small deterministic OpenAI-compatible server on loopback for policy tests: /v1/chat/completions and
// /v1/completions answer from a scripted function of the messages/prompt, /v1/models lists the model, and
// every request is counted by a key the test chooses (e.g. the task message), so tests can prove that no
// finished episode was requested again. Completions with `echo` + `logprobs` return scripted token logprobs.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Message } from '../../src/data/schemas.ts';

/** One prompt token as the scripted server reports it: its text and log-prob (null for the first token). */
export interface ScriptedToken {
  text: string;
  logprob: number | null;
}

export interface TestServerScript {
  model: string;
  /** The assistant reply to a chat request. */
  reply(messages: Message[]): string;
  /** Which bucket a chat request counts in (default: one bucket ''). */
  key?(messages: Message[]): string;
  /** Completions: the prompt's tokens with log-probs (echo), and the generated text. */
  tokens?(prompt: string): ScriptedToken[];
  /** Delay before each chat reply (to observe concurrency). */
  delayMs?: number;
}

export interface TestServer {
  url: string;
  /** Requests per key (chat) and in all. */
  requests: Map<string, number>;
  total(): number;
  /** The request bodies, in arrival order. */
  bodies: Record<string, unknown>[];
  /** Most chat requests being answered at once. */
  maxInFlight(): number;
  close(): Promise<void>;
}

export async function startTestServer(script: TestServerScript): Promise<TestServer> {
  const requests = new Map<string, number>();
  const bodies: Record<string, unknown>[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: Error) => sendJson(response, 500, errorBody(error.message)));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method === 'GET' && request.url === '/v1/models') {
      sendJson(response, 200, { object: 'list', data: [{ id: script.model, object: 'model', owned_by: 'test' }] });
      return;
    }
    const body = JSON.parse(await readBody(request)) as Record<string, unknown>;
    bodies.push(body);
    if (request.url === '/v1/chat/completions') {
      const messages = body.messages as Message[];
      const key = script.key?.(messages) ?? '';
      requests.set(key, (requests.get(key) ?? 0) + 1);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (script.delayMs) await new Promise((resolve) => setTimeout(resolve, script.delayMs));
      inFlight -= 1;
      const text = script.reply(messages);
      sendJson(response, 200, {
        id: `chatcmpl-${bodies.length}`,
        object: 'chat.completion',
        created: 0,
        model: script.model,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop', logprobs: null }],
        usage: usage(JSON.stringify(messages).length, text.length),
      });
      return;
    }
    if (request.url === '/v1/completions') {
      requests.set('completions', (requests.get('completions') ?? 0) + 1);
      const prompt = String(body.prompt);
      const tokens = script.tokens?.(prompt) ?? [];
      let offset = 0;
      const offsets = tokens.map((token) => (offset += token.text.length) - token.text.length);
      // echo mode also reports the one generated token (a made-up "!" after the prompt), as servers do
      const echoed = [...tokens, { text: '!', logprob: -100 }];
      const logprobs = body.echo
        ? {
            tokens: echoed.map((t) => t.text),
            token_logprobs: echoed.map((t) => t.logprob),
            text_offset: [...offsets, prompt.length],
            top_logprobs: null,
          }
        : null;
      // vLLM's extension: one {token_id: {logprob, rank, decoded_token}} per prompt token, null first
      const promptLogprobs =
        body.prompt_logprobs === undefined
          ? undefined
          : tokens.map((t, i) => (i === 0 ? null : { [String(1000 + i)]: { logprob: t.logprob, rank: 1, decoded_token: t.text } }));
      sendJson(response, 200, {
        id: `cmpl-${bodies.length}`,
        object: 'text_completion',
        created: 0,
        model: script.model,
        choices: [
          {
            index: 0,
            text: body.echo ? `${prompt}!` : '!',
            finish_reason: 'length',
            logprobs,
            ...(promptLogprobs ? { prompt_logprobs: promptLogprobs } : {}),
          },
        ],
        usage: usage(tokens.length, 0),
      });
      return;
    }
    sendJson(response, 404, errorBody(`no route ${request.method} ${request.url}`));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    total: () => [...requests.values()].reduce((a, b) => a + b, 0),
    bodies,
    maxInFlight: () => maxInFlight,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Token counts stand in as characters: the tests only check that usage is summed and reported. */
function usage(prompt: number, completion: number): Record<string, number> {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function errorBody(message: string): Record<string, unknown> {
  return { error: { message, type: 'invalid_request_error', param: null, code: null } };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

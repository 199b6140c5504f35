// POST /v1/chat/completions: the chat template → n choices in the batcher → a chat.completion object, or
// chat.completion.chunk events when `stream` is true.
import type { ServerResponse } from 'node:http';
import type { Message } from '../data/schemas.ts';
import { invalidField } from './api-error.ts';
import { openEventStream, sendJson } from './http.ts';
import { ChatRequestSchema, parseRequest, type ChatRequest } from './request-schemas.ts';
import { runChoices, type ChoiceResult, type ChoiceSpec } from './run-choices.ts';
import { checkModelName, type ServedModel } from './served-model.ts';
import type { TokenLogprob } from './token-logprobs.ts';

export async function handleChat(served: ServedModel, body: unknown, response: ServerResponse): Promise<void> {
  const request = parseRequest(ChatRequestSchema, body);
  checkModelName(served, request.model);
  const prompt = served.chat.encodeChatPrompt(request.messages.map(toMessage));
  const context = served.batcher.contextLength;
  if (prompt.length >= context) {
    throw invalidField('messages', `the prompt has ${prompt.length} tokens; this server's context is ${context}`,
      'context_length_exceeded');
  }
  const spec: ChoiceSpec = {
    prompt,
    maxNewTokens: request.max_completion_tokens ?? request.max_tokens ?? context - prompt.length,
    temperature: request.temperature ?? 1,
    topP: request.top_p ?? 1,
    seed: request.seed ?? served.deps.freshSeed(),
    stop: stopList(request.stop),
    ...(request.logprobs ? { topLogprobs: request.top_logprobs ?? 0 } : {}),
  };
  const specs = Array.from({ length: request.n ?? 1 }, () => spec);
  const head = { id: `chatcmpl-${served.deps.nextId()}`, created: served.deps.now(), model: served.name };
  const usage = (results: ChoiceResult[]) => ({
    prompt_tokens: prompt.length,
    completion_tokens: results.reduce((sum, r) => sum + r.reply.ids.length, 0),
    total_tokens: prompt.length + results.reduce((sum, r) => sum + r.reply.ids.length, 0),
  });
  if (request.stream) return streamChat(served, request, specs, head, usage, response);
  const results = await runChoices(served, specs, () => response.destroyed);
  sendJson(response, 200, {
    ...head, object: 'chat.completion', system_fingerprint: null,
    choices: results.map((r, index) => ({
      index, message: { role: 'assistant', content: r.reply.content, refusal: null },
      logprobs: request.logprobs ? { content: r.logprobs.map((l) => logprobEntry(served, l)), refusal: null } : null,
      finish_reason: r.finishReason,
    })),
    usage: usage(results),
  });
}

async function streamChat(served: ServedModel, request: ChatRequest, specs: ChoiceSpec[], head: object,
  usage: (results: ChoiceResult[]) => object, response: ServerResponse): Promise<void> {
  const events = openEventStream(response);
  const chunk = (choices: object[], extra: object = {}) =>
    events.send({ ...head, object: 'chat.completion.chunk', system_fingerprint: null, choices, ...extra });
  const opening = (index: number) => ({
    index,
    delta: { role: 'assistant', content: '' },
    logprobs: null,
    finish_reason: null,
  });
  specs.forEach((_, index) => chunk([opening(index)]));
  const sentChars = specs.map(() => 0);
  const sentTokens = specs.map(() => 0);
  const results = await runChoices(served, specs, () => events.closed, (index, result, ended) => {
    const upTo = result.reply.streamableLength(ended);
    const text = result.reply.content.slice(sentChars[index], upTo);
    const tokens = ended ? result.logprobs.length : Math.min(result.logprobs.length, result.reply.tokensFor(upTo));
    const logprobs = result.logprobs.slice(sentTokens[index], tokens);
    sentChars[index] = upTo;
    sentTokens[index] = Math.max(sentTokens[index]!, tokens);
    if (text === '' && logprobs.length === 0 && !ended) return;
    chunk([{
      index, delta: text === '' ? {} : { content: text },
      logprobs: request.logprobs ? { content: logprobs.map((l) => logprobEntry(served, l)), refusal: null } : null,
      finish_reason: ended ? result.finishReason : null,
    }]);
  });
  if (request.stream_options?.include_usage) chunk([], { usage: usage(results) });
  events.end();
}

function toMessage(message: ChatRequest['messages'][number]): Message {
  const content = typeof message.content === 'string' ? message.content : message.content.map((p) => p.text).join('');
  return { role: message.role === 'developer' ? 'system' : message.role, content };
}

export function stopList(stop: string | string[] | null | undefined): string[] {
  return (typeof stop === 'string' ? [stop] : (stop ?? [])).filter((s) => s !== '');
}

function logprobEntry(served: ServedModel, l: TokenLogprob) {
  const entry = (token: number, logprob: number) => ({
    token: served.tokens.text[token]!,
    logprob,
    bytes: served.tokens.bytes[token]!,
  });
  return { ...entry(l.token, l.logprob), top_logprobs: l.top.map((t) => entry(t.token, t.logprob)) };
}

// POST /v1/completions: raw prompts (text or token ids) → n choices each; with `echo` the prompt comes back with
// its own token logprobs (first token: null), which is how remote scorers get prompt log-probs (max_tokens 0).
import type { ServerResponse } from 'node:http';
import { sequenceLogProbs } from '../model/sequence-logprobs.ts';
import { invalidField } from './api-error.ts';
import { stopList } from './chat-handler.ts';
import { sendJson } from './http.ts';
import { CompletionRequestSchema, parseRequest, type CompletionRequest } from './request-schemas.ts';
import { runChoices, type ChoiceResult } from './run-choices.ts';
import { checkModelName, type ServedModel } from './served-model.ts';

interface LegacyLogprobs {
  tokens: string[];
  token_logprobs: (number | null)[];
  top_logprobs: (Record<string, number> | null)[];
  text_offset: number[];
}

export async function handleCompletion(served: ServedModel, body: unknown, response: ServerResponse): Promise<void> {
  const request = parseRequest(CompletionRequestSchema, body);
  checkModelName(served, request.model);
  if (request.stream) throw invalidField('stream', 'streaming is supported on /v1/chat/completions only');
  const prompts = promptIds(served, request);
  const context = served.batcher.contextLength;
  const maxTokens = request.max_tokens ?? 16;
  prompts.forEach((prompt, p) => {
    const limit = maxTokens > 0 ? context - 1 : context; // generating needs room for one new token
    if (prompt.length > limit) {
      const message = `prompt ${p} has ${prompt.length} tokens; this server's context is ${context}`;
      throw invalidField(`prompt`, message, 'context_length_exceeded');
    }
  });
  const n = request.n ?? 1;
  const seed = request.seed ?? served.deps.freshSeed();
  const topLogprobs = request.logprobs ?? undefined;
  const specs = prompts.flatMap((prompt) => Array.from({ length: n }, () => ({
    prompt, maxNewTokens: maxTokens, temperature: request.temperature ?? 1, topP: request.top_p ?? 1, seed,
    stop: stopList(request.stop), ...(topLogprobs === undefined ? {} : { topLogprobs }),
  })));
  const results: (ChoiceResult | null)[] = maxTokens > 0
    ? await runChoices(served, specs, () => response.destroyed)
    : specs.map(() => null);
  const echoed = request.echo ? prompts.map((prompt) => echoLogprobs(served, prompt)) : [];
  let completionTokens = 0;
  const choices = results.map((result, index) => {
    const p = Math.floor(index / n);
    completionTokens += result?.reply.ids.length ?? 0;
    const echo = echoed[p];
    const text = (echo ? echo.text : '') + (result?.reply.content ?? '');
    let logprobs: LegacyLogprobs | null = null;
    if (topLogprobs !== undefined) {
      const empty = { tokens: [], token_logprobs: [], top_logprobs: [], text_offset: [] };
      logprobs = echo ? structuredClone(echo.logprobs) : empty;
      let offset = echo ? echo.text.length : 0;
      for (const l of result?.logprobs ?? []) {
        const token = served.tokens.text[l.token]!;
        logprobs.tokens.push(token);
        logprobs.token_logprobs.push(l.logprob);
        logprobs.top_logprobs.push(Object.fromEntries(l.top.map((t) => [served.tokens.text[t.token]!, t.logprob])));
        logprobs.text_offset.push(offset);
        offset += token.length;
      }
    }
    return { index, text, logprobs, finish_reason: result?.finishReason ?? 'length' };
  });
  const promptTokens = prompts.reduce((sum, p) => sum + p.length, 0);
  sendJson(response, 200, {
    id: `cmpl-${served.deps.nextId()}`, object: 'text_completion', created: served.deps.now(), model: served.name,
    system_fingerprint: null, choices,
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  });
}

function promptIds(served: ServedModel, request: CompletionRequest): Int32Array[] {
  const { prompt } = request;
  const V = served.model.config.vocabSize;
  const lists: (string | number[])[] = typeof prompt === 'string' ? [prompt]
    : prompt.every((x) => typeof x === 'number') ? [prompt as number[]] : (prompt as (string | number[])[]);
  return lists.map((item, p) => {
    const ids = typeof item === 'string' ? served.tokenizer.encode(item) : item;
    if (ids.length === 0) throw invalidField('prompt', `prompt ${p} is empty`);
    const bad = ids.find((id) => !(id >= 0 && id < V));
    if (bad !== undefined) {
      throw invalidField('prompt', `prompt ${p}: token id ${bad} is outside the vocabulary (0..${V - 1})`);
    }
    return Int32Array.from(ids);
  });
}

/** The prompt's text and per-token logprobs: log p(token t | tokens < t), null for the first token. */
function echoLogprobs(served: ServedModel, prompt: Int32Array): { text: string; logprobs: LegacyLogprobs } {
  const mask = new Uint8Array(prompt.length).fill(1);
  mask[0] = 0;
  const scores = sequenceLogProbs(served.model, { ids: [prompt], mask: [mask] });
  const perToken = scores.tokenLogProbs[0]!;
  const logprobs: LegacyLogprobs = { tokens: [], token_logprobs: [], top_logprobs: [], text_offset: [] };
  let offset = 0;
  prompt.forEach((id, t) => {
    const token = served.tokens.text[id]!;
    logprobs.tokens.push(token);
    logprobs.token_logprobs.push(t === 0 ? null : perToken[t]!);
    logprobs.top_logprobs.push(null); // the prompt's alternatives are not computed
    logprobs.text_offset.push(offset);
    offset += token.length;
  });
  return { text: served.tokenizer.decode(prompt), logprobs };
}

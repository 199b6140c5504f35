// scoreRemote: teacher-forced log-probs of whole conversations from a server, for reference (or policy)
// log-probs when the model is not in this process. The conversation is rendered to text, sent to
// /v1/completions, and the per-token prompt log-probs that come back are summed over assistant tokens:
// the same rule as sequenceLogProbs with encodeChat's mask (each assistant turn's content and its
// end-of-turn marker, never the role header). Tokens are located by their text offsets, so any server
// tokenizer works as long as the rendering is the model's own chat template.
//   mode `echo`:            {echo: true, logprobs: 0, max_tokens: 1} → choices[0].logprobs (OpenAI legacy; vLLM)
//   mode `prompt_logprobs`: {prompt_logprobs: 0, max_tokens: 1} → prompt_logprobs[] (vLLM's extension)
import OpenAI from 'openai';
import type { Message } from '../data/schemas.ts';
import { DataError } from '../errors.ts';
import { mapConcurrent } from './openai-policy.ts';

/** A conversation as the model sees it: text, and the [start, end) character spans whose tokens are scored. */
export interface RenderedConversation {
  text: string;
  scoredSpans: [number, number][];
}

/** eto's own chat template (src/model/chat.ts): `<|role|>content<|end|>` after `<|bos|>`. */
export function renderEtoChat(messages: readonly Message[]): RenderedConversation {
  let text = '<|bos|>';
  const scoredSpans: [number, number][] = [];
  for (const message of messages) {
    text += `<|${message.role}|>`;
    const start = text.length;
    text += `${message.content}<|end|>`;
    if (message.role === 'assistant') scoredSpans.push([start, text.length]);
  }
  return { text, scoredSpans };
}

export interface ScoreRemoteOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  mode: 'echo' | 'prompt_logprobs';
  concurrency: number;
  timeoutS: number;
  render?(messages: readonly Message[]): RenderedConversation;
}

export interface RemoteScores {
  /** per conversation: Σ over scored tokens of log p(token | earlier tokens) */
  logProbs: Float64Array;
  /** per conversation: how many tokens were scored */
  tokenCounts: Int32Array;
}

/** One prompt token the server reported: where it starts in the text and its log-prob (null: the first). */
export interface PromptToken {
  offset: number;
  logprob: number | null;
}

export async function scoreRemote(
  conversations: readonly Message[][],
  options: ScoreRemoteOptions,
): Promise<RemoteScores> {
  const client = new OpenAI({
    baseURL: options.baseUrl,
    apiKey: options.apiKey ?? 'no-key',
    timeout: options.timeoutS * 1000,
  });
  const render = options.render ?? renderEtoChat;
  const scored = await mapConcurrent(conversations, options.concurrency, async (messages, index) => {
    const rendered = render(messages);
    const tokens = await promptTokens(client, options, rendered.text, index);
    return sumScored(tokens, rendered);
  });
  return {
    logProbs: Float64Array.from(scored.map((s) => s.logProb)),
    tokenCounts: Int32Array.from(scored.map((s) => s.count)),
  };
}

/** The sum and count of log-probs of tokens that start inside a scored span (the first token never counts). */
export function sumScored(
  tokens: readonly PromptToken[],
  rendered: RenderedConversation,
): { logProb: number; count: number } {
  let logProb = 0;
  let count = 0;
  tokens.forEach((token, t) => {
    if (t === 0 || token.offset >= rendered.text.length) return; // the generated token after the prompt
    if (!rendered.scoredSpans.some(([start, end]) => token.offset >= start && token.offset < end)) return;
    if (token.logprob === null) throw new DataError('server reply', t, `no log-prob for scored token ${t}`);
    logProb += token.logprob;
    count += 1;
  });
  return { logProb, count };
}

async function promptTokens(
  client: OpenAI,
  options: ScoreRemoteOptions,
  prompt: string,
  index: number,
): Promise<PromptToken[]> {
  const where = `${options.baseUrl} (conversation ${index})`;
  if (options.mode === 'echo') {
    const reply = await client.completions.create({
      model: options.model,
      prompt,
      max_tokens: 1,
      echo: true,
      logprobs: 0,
    });
    const logprobs = reply.choices[0]?.logprobs;
    const offsets = logprobs?.text_offset;
    const values = logprobs?.token_logprobs;
    if (!offsets || !values) {
      throw new DataError(where, undefined, 'the reply has no echoed logprobs (is echo supported?)');
    }
    return offsets.map((offset, t) => ({ offset, logprob: values[t] ?? null }));
  }
  // vLLM's extension: not in the client's types, sent as-is
  const body = {
    model: options.model,
    prompt,
    max_tokens: 1,
    prompt_logprobs: 0,
  } as OpenAI.CompletionCreateParamsNonStreaming;
  const reply = (await client.completions.create(body)) as unknown as VllmCompletion;
  const entries = reply.choices[0]?.prompt_logprobs ?? reply.prompt_logprobs;
  if (!entries) throw new DataError(where, undefined, 'the reply has no prompt_logprobs (is this vLLM?)');
  // offsets come from the decoded pieces; the first entry is null (no piece), so the pieces are laid out
  // from the end of the text backwards
  const pieces = entries.map((entry) => (entry === null ? undefined : Object.values(entry)[0]));
  let offset = prompt.length - pieces.reduce((total, piece) => total + (piece?.decoded_token?.length ?? 0), 0);
  return pieces.map((piece) => {
    const token = { offset: Math.max(0, offset), logprob: piece?.logprob ?? null };
    offset += piece?.decoded_token?.length ?? 0;
    return token;
  });
}

type PromptLogprobEntry = Record<string, { logprob: number; rank?: number; decoded_token?: string }> | null;

interface VllmCompletion {
  choices: { prompt_logprobs?: PromptLogprobEntry[] }[];
  prompt_logprobs?: PromptLogprobEntry[];
}

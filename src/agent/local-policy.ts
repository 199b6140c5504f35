// The local model as a Policy: its chat format → batched KV-cache sampling (one pass for all live
// episodes) → text cut at the end-of-turn token or an ETO stop string. Knows its context window.
// `localPolicies` opens checkpoint dirs as such policies inside an engine (the `local` policy backend).
import type { Message } from '../data/schemas.ts';
import type { ActOptions, Policy, PolicyFactory } from './policy.ts';
import type { Engine } from '../engine/index.ts';
import { openModel } from '../model/policy-model.ts';
import type { ChatFormat } from '../chat/chat-format.ts';
import type { LlamaModel } from '../model/llama.ts';
import { createPrefixCache, generateCached, type PrefixCache } from '../model/prefix-cache.ts';
import { generate, type GenerateOptions } from '../model/sampler.ts';
import type { TextTokenizer } from '../tokenizer/types.ts';

/** Tokens decoded from the end of a generation to look for stop strings. */
const STOP_WINDOW = 12;

export interface LocalPolicyOptions {
  /**
   * Keep each episode's KV cache between turns and prefill only new tokens (true), or prefill every turn's whole
   * conversation again (false: the path before the cache, kept to compare against).
   */
  prefixCache: boolean;
}

export const LOCAL_POLICY_DEFAULTS: LocalPolicyOptions = { prefixCache: true };

/** A local policy; `prefixCache` (when kept) is its cache, whose stats count the tokens it saved. */
export type LocalPolicy = Policy & { readonly prefixCache: PrefixCache | null };

export function createLocalPolicy(model: LlamaModel, tokenizer: TextTokenizer, chat: ChatFormat, name: string,
  options: LocalPolicyOptions = LOCAL_POLICY_DEFAULTS): LocalPolicy {
  const window = model.config.maxPositionEmbeddings;
  const cache = options.prefixCache ? createPrefixCache(model) : null;
  // fits() and act() see the same context arrays: encode each once
  const encoded = new WeakMap<Message[], Int32Array>();
  const encode = (conversation: Message[]): Int32Array => {
    const known = encoded.get(conversation);
    if (known) return known;
    const ids = chat.encodeChatPrompt(conversation);
    encoded.set(conversation, ids);
    return ids;
  };
  return {
    name,
    prefixCache: cache,
    fits: (conversation, maxNewTokens) => encode(conversation).length + maxNewTokens <= window,
    async act(conversations: Message[][], options: ActOptions): Promise<string[]> {
      if (conversations.length === 0) return [];
      const prompts = conversations.map(encode);
      // the sampler ends a sequence that reaches the window; fits() keeps prompts short enough for a full turn
      const sampling: GenerateOptions = {
        maxNewTokens: options.maxNewTokens,
        temperature: options.temperature,
        topP: options.topP,
        seed: options.seed,
        stopTokenIds: [...chat.stopTokenIds],
        shouldStop: (_index, generated) => {
          const tail = tokenizer.decode(generated.slice(-STOP_WINDOW));
          return options.stop.some((stop) => tail.includes(stop));
        },
      };
      const outputs = cache ? generateCached(cache, prompts, sampling) : generate(model, prompts, sampling);
      return outputs.map((ids) => cutAtStop(tokenizer.decode(ids), options.stop));
    },
  };
}

/** The `local` backend: each checkpoint opens in the engine's arena and is released on close. */
export function localPolicies(engine: Engine, options: LocalPolicyOptions = LOCAL_POLICY_DEFAULTS): PolicyFactory {
  return {
    kind: 'local',
    open: async (modelDir) => {
      const mark = engine.mark();
      try {
        const { model, tokenizer, chat } = openModel(engine, modelDir, { grads: false });
        const policy = createLocalPolicy(model, tokenizer, chat, modelDir, options);
        return { policy, close: () => engine.release(mark) };
      } catch (error) {
        engine.release(mark);
        throw error;
      }
    },
  };
}

/** The text before the first stop string (ETO's stop strings end a turn). */
export function cutAtStop(text: string, stops: readonly string[]): string {
  const at = firstStopIndex(text, stops);
  return (at >= 0 ? text.slice(0, at) : text).trim();
}

/** Where the earliest of `stops` starts in `text`, or −1 when none occurs. */
export function firstStopIndex(text: string, stops: readonly string[]): number {
  let first = -1;
  for (const stop of stops) {
    const at = text.indexOf(stop);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  return first;
}

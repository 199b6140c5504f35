// The local model as a Policy: its chat format → batched KV-cache sampling (one pass for all live
// episodes) → text cut at the end-of-turn token or an ETO stop string. Knows its context window.
// `localPolicies` opens checkpoint dirs as such policies inside an engine (the `local` policy backend).
import type { Message } from '../data/schemas.ts';
import type { ActOptions, Policy, PolicyFactory } from './policy.ts';
import type { Engine } from '../engine/index.ts';
import { openModel } from '../model/policy-model.ts';
import type { ChatFormat } from '../chat/chat-format.ts';
import type { LlamaModel } from '../model/llama.ts';
import { generate } from '../model/sampler.ts';
import type { TextTokenizer } from '../tokenizer/types.ts';

/** Tokens decoded from the end of a generation to look for stop strings. */
const STOP_WINDOW = 12;

export function createLocalPolicy(model: LlamaModel, tokenizer: TextTokenizer, chat: ChatFormat, name: string): Policy {
  const window = model.config.maxPositionEmbeddings;
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
    fits: (conversation, maxNewTokens) => encode(conversation).length + maxNewTokens <= window,
    async act(conversations: Message[][], options: ActOptions): Promise<string[]> {
      if (conversations.length === 0) return [];
      const prompts = conversations.map(encode);
      // the sampler ends a sequence that reaches the window; fits() keeps prompts short enough for a full turn
      const outputs = generate(model, prompts, {
        maxNewTokens: options.maxNewTokens,
        temperature: options.temperature,
        topP: options.topP,
        seed: options.seed,
        stopTokenIds: [...chat.stopTokenIds],
        shouldStop: (_index, generated) => {
          const tail = tokenizer.decode(generated.slice(-STOP_WINDOW));
          return options.stop.some((stop) => tail.includes(stop));
        },
      });
      return outputs.map((ids) => cutAtStop(tokenizer.decode(ids), options.stop));
    },
  };
}

/** The `local` backend: each checkpoint opens in the engine's arena and is released on close. */
export function localPolicies(engine: Engine): PolicyFactory {
  return {
    kind: 'local',
    open: async (modelDir) => {
      const mark = engine.mark();
      try {
        const { model, tokenizer, chat } = openModel(engine, modelDir, { grads: false });
        return { policy: createLocalPolicy(model, tokenizer, chat, modelDir), close: () => engine.release(mark) };
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

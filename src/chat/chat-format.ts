// How a model's conversations become tokens: the whole conversation with its assistant mask (for SFT, DPO and
// scoring), the prompt that ends in the assistant header (for generation), and the tokens that end a reply.
// eto's own format lives in model/chat.ts; this file adds the one driven by a checkpoint's chat template.
import type { Message } from '../data/schemas.ts';
import { assistantSpans } from './assistant-spans.ts';
import type { ChatTemplate } from './chat-template.ts';
import type { StopTokens } from './stop-tokens.ts';
import { spansToTokenMask, type TextTokenizer } from './token-mask.ts';

export interface EncodedChat {
  ids: Int32Array; // (T)
  /** 1 on the tokens of assistant turns from message `firstScored` on: contents and their end-of-turn token. */
  assistantMask: Uint8Array; // (T)
}

export interface ChatFormat {
  /** `firstScored`: assistant messages before it are context, not scored (the DPO prompt). */
  encodeChat(messages: readonly Message[], firstScored?: number): EncodedChat;
  /** The conversation followed by the generation prompt (the assistant header). */
  encodeChatPrompt(messages: readonly Message[]): Int32Array;
  /** Generation of a reply stops at any of these. */
  readonly stopTokenIds: readonly number[];
}

export function templateChatFormat(template: ChatTemplate, tokenizer: TextTokenizer, stop: StopTokens): ChatFormat {
  return {
    stopTokenIds: stop.ids,
    encodeChat(messages, firstScored = 0) {
      const { text, spans } = assistantSpans(template, messages, stop.texts);
      const scored = spans.filter((span) => span.message >= firstScored);
      const { ids, mask } = spansToTokenMask(tokenizer, text, scored);
      return { ids, assistantMask: mask };
    },
    encodeChatPrompt(messages) {
      return Int32Array.from(tokenizer.encode(template.render(messages, true).text));
    },
  };
}

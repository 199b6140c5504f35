// The chat format: a Jinja template (stored in tokenizer_config.json for other tools) and our encoder,
// which produces exactly the tokens of the rendered text plus the assistant mask used for training.
//   <|bos|><|user|>…<|end|><|assistant|>…<|end|>…   (generation continues after <|assistant|>)
import type { ChatFormat } from '../chat/chat-format.ts';
import type { Message } from '../data/schemas.ts';
import type { Tokenizer } from './tokenizer.ts';

export const CHAT_TEMPLATE =
  "{{ bos_token }}{% for message in messages %}{{ '<|' + message['role'] + '|>' + message['content'] + '<|end|>' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}";

export interface EncodedChat {
  ids: Int32Array; // (T)
  /** 1 on assistant content tokens and their <|end|>: token t is trained on / scored given tokens < t. */
  assistantMask: Uint8Array; // (T)
}

/** Most message texts remembered per tokenizer before the memo starts over. */
const MEMO_ENTRIES = 4096;
const memos = new WeakMap<Tokenizer, Map<string, readonly number[]>>();

/**
 * tokenizer.encode(text), remembered: an episode loop encodes the same instruction, example and old turns again
 * every turn, and the encoding is a pure function of the text (each message is encoded on its own).
 */
function encodeMemo(tokenizer: Tokenizer, text: string): readonly number[] {
  let memo = memos.get(tokenizer);
  if (!memo) memos.set(tokenizer, (memo = new Map()));
  const known = memo.get(text);
  if (known) return known;
  if (memo.size >= MEMO_ENTRIES) memo.clear();
  const ids = tokenizer.encode(text);
  memo.set(text, ids);
  return ids;
}

export function encodeChat(tokenizer: Tokenizer, messages: readonly Message[]): EncodedChat {
  const ids: number[] = [tokenizer.tokenId('<|bos|>')];
  const mask: number[] = [0];
  const end = tokenizer.tokenId('<|end|>');
  for (const message of messages) {
    ids.push(tokenizer.tokenId(`<|${message.role}|>`));
    mask.push(0);
    const scored = message.role === 'assistant' ? 1 : 0;
    for (const id of encodeMemo(tokenizer, message.content)) {
      ids.push(id);
      mask.push(scored);
    }
    ids.push(end);
    mask.push(scored);
  }
  return { ids: Int32Array.from(ids), assistantMask: Uint8Array.from(mask) };
}

/** The conversation followed by the assistant header, ready for the model to write the reply. */
export function encodeChatPrompt(tokenizer: Tokenizer, messages: readonly Message[]): Int32Array {
  const { ids } = encodeChat(tokenizer, messages);
  const out = new Int32Array(ids.length + 1);
  out.set(ids);
  out[ids.length] = tokenizer.tokenId('<|assistant|>');
  return out;
}

/** eto's own format behind the ChatFormat seam that imported checkpoints' templates also fill. */
export function etoChatFormat(tokenizer: Tokenizer): ChatFormat {
  return {
    stopTokenIds: [endOfTurnId(tokenizer)],
    encodeChat(messages, firstScored = 0) {
      const encoded = encodeChat(tokenizer, messages);
      // the encoding is a concatenation per message, so the unscored context is exactly the first messages' tokens
      if (firstScored > 0) {
        encoded.assistantMask.fill(0, 0, encodeChat(tokenizer, messages.slice(0, firstScored)).ids.length);
      }
      return encoded;
    },
    encodeChatPrompt: (messages) => encodeChatPrompt(tokenizer, messages),
  };
}

/** The token that ends every turn; generation of a reply stops there. */
export function endOfTurnId(tokenizer: Tokenizer): number {
  return tokenizer.tokenId('<|end|>');
}

export function specialTokenIds(tokenizer: Tokenizer): { bos: number; eos: number; pad: number } {
  return { bos: tokenizer.tokenId('<|bos|>'), eos: tokenizer.tokenId('<|end|>'), pad: tokenizer.tokenId('<|pad|>') };
}

/** Plain-text rendering of the template (what the Jinja template yields), for checks and debugging. */
export function renderChat(messages: readonly Message[], addGenerationPrompt: boolean): string {
  const body = messages.map((m) => `<|${m.role}|>${m.content}<|end|>`).join('');
  return `<|bos|>${body}${addGenerationPrompt ? '<|assistant|>' : ''}`;
}

// The context window of a served model measured with a local copy of its tokenizer: with it, the episode loop
// drops old turns before a request (as it does for the in-process model) instead of the server refusing an
// over-long prompt with a 400. Built from a checkpoint directory: eto's or an imported one (its template).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Message } from '../data/schemas.ts';
import { DataError } from '../errors.ts';
import { openChat } from '../model/policy-model.ts';

export type FitsContext = (conversation: Message[], maxNewTokens: number) => boolean;

/** prompt tokens + maxNewTokens ≤ the checkpoint's max_position_embeddings, with its tokenizer and template. */
export function checkpointContextWindow(dir: string): FitsContext {
  const read = (name: string): Record<string, unknown> => {
    const file = join(dir, name);
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new DataError(file, undefined, `cannot read: ${(error as Error).message}`);
    }
  };
  const window = read('config.json').max_position_embeddings;
  if (typeof window !== 'number' || !Number.isInteger(window) || window < 1) {
    throw new DataError(join(dir, 'config.json'), undefined, 'max_position_embeddings must be a positive integer');
  }
  const { chat } = openChat(dir);
  return (conversation, maxNewTokens) => chat.encodeChatPrompt(conversation).length + maxNewTokens <= window;
}

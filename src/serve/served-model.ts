// What the handlers share: the model, its tokenizer, the batcher, the served name, and the side effects that
// come from the CLI (clock, fresh seeds and ids), so that nothing below src/cli reads the clock.
import type { ChatFormat } from '../chat/chat-format.ts';
import type { LlamaModel } from '../model/llama.ts';
import type { TextTokenizer } from '../tokenizer/types.ts';
import { ApiError } from './api-error.ts';
import type { ContinuousBatcher } from './batcher.ts';
import type { TokenTable } from './token-bytes.ts';

export interface ServeDeps {
  /** Unix time in seconds (the `created` field) */
  now(): number;
  /** a seed for requests that name none */
  freshSeed(): number;
  /** a unique id suffix, e.g. a counter */
  nextId(): string;
}

export interface ServedModel {
  name: string;
  model: LlamaModel;
  tokenizer: TextTokenizer;
  /** The checkpoint's chat format (eto's or its template): prompts of /v1/chat/completions, stop tokens. */
  chat: ChatFormat;
  tokens: TokenTable;
  batcher: ContinuousBatcher;
  deps: ServeDeps;
}

export function checkModelName(served: ServedModel, requested: string): void {
  if (requested !== served.name) {
    throw new ApiError(404, `The model \`${requested}\` does not exist; this server serves \`${served.name}\``,
      'invalid_request_error', 'model', 'model_not_found');
  }
}

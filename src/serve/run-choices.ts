// Runs the n choices of one request through the batcher and collects, per choice, its reply text, tokens,
// logprobs and finish reason; `onProgress` lets streaming handlers send text as it becomes safe to send.
import { Rng } from '../rng.ts';
import { ApiError } from './api-error.ts';
import type { EndReason } from './batcher.ts';
import { ReplyText } from './reply-text.ts';
import type { ServedModel } from './served-model.ts';
import type { TokenLogprob } from './token-logprobs.ts';

export interface ChoiceSpec {
  prompt: Int32Array;
  maxNewTokens: number;
  temperature: number;
  topP: number;
  seed: number;
  stop: string[];
  topLogprobs?: number;
}

export interface ChoiceResult {
  reply: ReplyText;
  logprobs: TokenLogprob[];
  finishReason: 'stop' | 'length';
}

/**
 * Choice i samples from the i-th fork of Rng(seed) (forks taken in order, as generate() takes them), so a seed
 * reproduces `eto model generate --n` exactly. All specs share the first spec's seed.
 */
export function runChoices(served: ServedModel, specs: ChoiceSpec[], isCancelled: () => boolean,
  onProgress?: (index: number, result: ChoiceResult, ended: boolean) => void): Promise<ChoiceResult[]> {
  return new Promise((resolve, reject) => {
    const results: ChoiceResult[] = specs.map((spec) => ({
      reply: new ReplyText(served.tokenizer, spec.stop), logprobs: [], finishReason: 'length',
    }));
    let open = specs.length;
    const ended = specs.map(() => false);
    const base = new Rng(specs[0]?.seed ?? 0);
    const jobs = specs.map((spec, i) => ({
      prompt: spec.prompt, maxNewTokens: spec.maxNewTokens, temperature: spec.temperature, topP: spec.topP,
      rng: base.fork(i),
      ...(spec.topLogprobs === undefined ? {} : { topLogprobs: spec.topLogprobs }),
      isCancelled,
      onToken: (token: number, logprob: TokenLogprob | undefined): boolean => {
        const result = results[i]!;
        if (logprob) result.logprobs.push(logprob);
        const stop = result.reply.push(token);
        onProgress?.(i, result, false);
        return stop;
      },
      onEnd: (reason: EndReason): void => {
        if (ended[i]) return;
        ended[i] = true;
        const result = results[i]!;
        result.finishReason = reason === 'length' && !result.reply.stopped ? 'length' : 'stop';
        // logprobs only for the tokens that make up the reported text
        result.logprobs.length = Math.min(result.logprobs.length, result.reply.tokensFor(result.reply.content.length));
        if (reason === 'error') reject(new ApiError(500, 'the model failed on this request', 'server_error'));
        else if (reason !== 'cancelled') onProgress?.(i, result, true);
        if (--open === 0) resolve(results);
      },
    }));
    served.batcher.submit(jobs);
  });
}

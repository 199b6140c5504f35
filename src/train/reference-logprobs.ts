// Reference log-probs for DPO, computed once per iteration from the frozen reference (the policy at the
// start of the iteration) and streamed to ref-logprobs.jsonl; a resumed run scores only missing pairs.
import { z } from 'zod';
import { appendJsonl, readJsonlIfExists } from '../data/jsonl.ts';
import type { LlamaModel } from '../model/llama.ts';
import { sequenceLogProbs } from '../model/sequence-logprobs.ts';
import { pairBatch, type EncodedPair } from './encode.ts';

export const RefLogProbsSchema = z.object({ id: z.string(), chosen: z.number().finite(), rejected: z.number().finite() });
export type RefLogProbs = z.infer<typeof RefLogProbsSchema>;

export function computeReferenceLogProbs(
  model: LlamaModel,
  pairs: readonly EncodedPair[],
  file: string,
  options: { batchPairs: number; onProgress?(done: number, total: number): void },
): Map<string, RefLogProbs> {
  const known = new Map(readJsonlIfExists(file, RefLogProbsSchema, { repairTail: true }).map((r) => [r.id, r]));
  const todo = pairs.filter((pair) => !known.has(pair.id));
  for (let start = 0; start < todo.length; start += options.batchPairs) {
    const batch = todo.slice(start, start + options.batchPairs);
    const scores = sequenceLogProbs(model, pairBatch(batch));
    const records = batch.map((pair, i) => ({ id: pair.id, chosen: scores.logProbs[i] as number, rejected: scores.logProbs[batch.length + i] as number }));
    appendJsonl(file, records);
    for (const record of records) known.set(record.id, record);
    options.onProgress?.(pairs.length - todo.length + start + batch.length, pairs.length);
  }
  return known;
}

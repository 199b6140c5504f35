// The shared training loop: a run interrupted after a snapshot and resumed ends bit-identical to an
// uninterrupted one (same batches, same AdamW state); NaN stops training naming stage and step.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/index.ts';
import { presets, type LlamaConfig } from '../model/config.ts';
import { createModel, type LlamaModel } from '../model/llama.ts';
import { Tokenizer, trainTokenizer } from '../model/tokenizer.ts';
import { etoChatFormat } from '../model/chat.ts';
import { Rng } from '../rng.ts';
import type { EncodedSequence } from './encode.ts';
import { sftStep } from './sft.ts';
import { train, type TrainHyper } from './trainer.ts';

const config: LlamaConfig = { ...presets.tiny, maxPositionEmbeddings: 64, bosTokenId: 1, eosTokenId: 2, padTokenId: 0 };
const hyper: TrainHyper = { lr: 3e-3, epochs: 2, batchTokens: 60, schedule: 'cosine', warmupRatio: 0.2, minLrRatio: 0.1, weightDecay: 0.1, clip: 1, checkpointEvery: 3 };

function data(): EncodedSequence[] {
  const rng = new Rng(9);
  return Array.from({ length: 10 }, (_, i) => {
    const length = 12 + (i % 5) * 3;
    return { ids: Int32Array.from({ length }, () => 3 + rng.int(config.vocabSize - 3)), mask: Uint8Array.from({ length }, (_, t) => (t >= 4 ? 1 : 0)) };
  });
}

class Interrupt extends Error {}

describe('train()', async () => {
  const engine = await createEngine({ backend: 'reference', threads: 1 });
  const tokenizer: Tokenizer = trainTokenizer(['hello world'], { vocabSize: 300 });
  const items = data();
  const run = (model: LlamaModel, dir: string, stopAfter = Infinity) =>
    train({
      stage: 'sft', iteration: 0, model, chat: etoChatFormat(tokenizer), hyper, seed: 3,
      lengths: items.map((s) => s.ids.length),
      stateDir: join(dir, 'train-state'), logFile: join(dir, 'train-log.jsonl'),
      step: (indices) => sftStep(model, indices.map((i) => items[i]!)),
      onProgress: (p) => {
        if (p.step >= stopAfter) throw new Interrupt();
      },
    });

  it('resumes from its snapshot to the same parameters and log as an uninterrupted run', () => {
    const straightDir = mkdtempSync(join(tmpdir(), 'eto-train-'));
    const straight = createModel(engine, config, { seed: 1 });
    const result = run(straight, straightDir);
    expect(result.steps).toBeGreaterThan(hyper.checkpointEvery + 1);

    const resumedDir = mkdtempSync(join(tmpdir(), 'eto-train-'));
    const first = createModel(engine, config, { seed: 1 });
    // "killed" two steps after the snapshot at step 3: steps 4–5 are logged but not in the snapshot
    expect(() => run(first, resumedDir, hyper.checkpointEvery + 2)).toThrow(Interrupt);
    expect(existsSync(join(resumedDir, 'train-state', 'state.json'))).toBe(true);
    const second = createModel(engine, config, { seed: 2 }); // a fresh process: different init, restored from disk
    run(second, resumedDir);
    expect(Array.from(second.flatParams)).toEqual(Array.from(straight.flatParams));
    const log = (dir: string) => readFileSync(join(dir, 'train-log.jsonl'), 'utf8');
    expect(log(resumedDir)).toBe(log(straightDir));
  });

  it('stops on a non-finite loss naming stage and step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eto-train-'));
    const model = createModel(engine, config, { seed: 1 });
    let calls = 0;
    expect(() =>
      train({
        stage: 'dpo', iteration: 2, model, chat: etoChatFormat(tokenizer), hyper, seed: 3,
        lengths: items.map((s) => s.ids.length),
        stateDir: join(dir, 'state'), logFile: join(dir, 'log.jsonl'),
        step: () => ({ loss: ++calls === 2 ? Number.NaN : 1, tokens: 1 }),
      }),
    ).toThrow(/^dpo \(iteration 2\) step 2: loss is not finite/);
  });
});

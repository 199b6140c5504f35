// LoRA through the training loop: the adapter's gradient on the real model against finite differences, only
// the targeted projections move (the rest stays bit-identical to the base), the trained weights are exactly
// the base merged with the returned adapter (mergeLora on a copy of the base taken before training), and a
// resumed run ends equal.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/index.ts';
import { centralDifference } from '../engine/test-helpers.ts';
import { presets, type LlamaConfig } from '../model/config.ts';
import { createModel, type LlamaModel } from '../model/llama.ts';
import type { LoraOptions } from '../model/lora-adapter.ts';
import { mergeLora } from '../model/lora-merge.ts';
import { sequenceLogProbs } from '../model/sequence-logprobs.ts';
import { trainTokenizer } from '../model/tokenizer.ts';
import { etoChatFormat } from '../model/chat.ts';
import { Rng } from '../rng.ts';
import { toScoredBatch, type EncodedSequence } from './encode.ts';
import { loraTrainable } from './lora-trainable.ts';
import { sftStep } from './sft.ts';
import { sftLoss } from './sft-loss.ts';
import { train, type TrainHyper } from './trainer.ts';

const config: LlamaConfig = { ...presets.tiny, maxPositionEmbeddings: 64, bosTokenId: 1, eosTokenId: 2, padTokenId: 0 };
const lora: LoraOptions = { rank: 2, alpha: 8, dropout: 0, targets: ['q_proj', 'v_proj', 'down_proj'] };
const hyper: TrainHyper = {
  lr: 1e-2, epochs: 2, batchTokens: 60, schedule: 'cosine', warmupRatio: 0.2, minLrRatio: 0.1, weightDecay: 0.1,
  clip: 1, checkpointEvery: 3,
};

function data(): EncodedSequence[] {
  const rng = new Rng(9);
  return Array.from({ length: 10 }, (_, i) => {
    const length = 12 + (i % 5) * 3;
    return {
      ids: Int32Array.from({ length }, () => 3 + rng.int(config.vocabSize - 3)),
      mask: Uint8Array.from({ length }, (_, t) => (t >= 4 ? 1 : 0)),
    };
  });
}

class Interrupt extends Error {}

describe('LoRA training', async () => {
  const engine = await createEngine({ backend: 'reference', threads: 1 });
  const tokenizer = trainTokenizer(['hello world'], { vocabSize: 300 });
  const items = data();
  const run = (model: LlamaModel, dir: string, stopAfter = Infinity) =>
    train({
      stage: 'sft', iteration: 0, model, chat: etoChatFormat(tokenizer), hyper, lora, seed: 3,
      lengths: items.map((s) => s.ids.length),
      stateDir: join(dir, 'train-state'), logFile: join(dir, 'train-log.jsonl'),
      step: (indices) => sftStep(model, indices.map((i) => items[i]!)),
      onProgress: (p) => {
        if (p.step >= stopAfter) throw new Interrupt();
      },
    });

  it("gathers the adapter's gradient of the model's loss, as finite differences give it", () => {
    const model = createModel(engine, config, { seed: 4 });
    const trainable = loraTrainable(model, lora, 7);
    // B starts at 0 (so dA = 0): give it values so both halves of the chain rule are exercised
    const rng = new Rng(11);
    for (const { b } of trainable.adapter.pairs.values()) for (let i = 0; i < b.length; i++) b[i] = 0.3 * rng.normal();
    const batch = items.slice(0, 3);
    const lossOf = (): number => {
      const scores = sequenceLogProbs(model, toScoredBatch(batch));
      return sftLoss(scores.logProbs, scores.tokenCounts).loss;
    };
    trainable.zeroGrads();
    sftStep(model, batch);
    const analytic = Float64Array.from(trainable.buffer.flatGrads);
    expect(analytic.some((g) => g !== 0)).toBe(true);
    const order = Array.from(analytic.keys()).sort((a, b) => Math.abs(analytic[b]!) - Math.abs(analytic[a]!));
    // the largest coordinates of A and of B (best signal-to-noise in float32); the buffer holds A, B per module
    const partOf = [...trainable.adapter.pairs.values()].flatMap(({ a, b }) => [
      ...Array.from(a, () => 'A'), ...Array.from(b, () => 'B'),
    ]);
    const inA = (index: number): boolean => partOf[index] === 'A';
    const picks = [...order.filter(inA).slice(0, 3), ...order.filter((i) => !inA(i)).slice(0, 3)];
    expect(picks.length).toBe(6);
    for (const index of picks) {
      const numeric = centralDifference(trainable.buffer.flatParams, index, lossOf, 1e-2);
      expect(Math.abs(analytic[index]! - numeric)).toBeLessThan(0.03 * Math.abs(numeric) + 1e-4);
    }
    trainable.finish(false);
  });

  it('moves only the targeted projections, to exactly the base merged with the adapter it returns', () => {
    const base = createModel(engine, config, { seed: 1 }, { grads: false }); // no gradient for the frozen base
    expect(base.flatGrads.length).toBe(0);
    const before = new Map([...base.params].map(([name, values]) => [name, Float32Array.from(values)]));
    const outcome = run(base, mkdtempSync(join(tmpdir(), 'eto-lora-')));
    expect(outcome.adapter).toBeDefined();
    const merged = mergeLora({ config: base.config, params: before } as never, outcome.adapter!);
    let moved = 0;
    for (const [name, values] of base.params) {
      const targeted = lora.targets.some((target) => name.endsWith(`${target}.weight`));
      if (!targeted) expect(values).toEqual(before.get(name));
      else {
        if (values.some((v, i) => v !== before.get(name)![i])) moved++;
        expect(Array.from(values)).toEqual(Array.from(merged.params.get(name)!));
      }
    }
    expect(moved).toBe(config.numHiddenLayers * lora.targets.length);
  });

  it('resumes from its snapshot (adapter + moments) to the same weights and adapter', () => {
    const straight = createModel(engine, config, { seed: 1 });
    const straightOutcome = run(straight, mkdtempSync(join(tmpdir(), 'eto-lora-')));
    const dir = mkdtempSync(join(tmpdir(), 'eto-lora-'));
    expect(() => run(createModel(engine, config, { seed: 1 }), dir, hyper.checkpointEvery + 2)).toThrow(Interrupt);
    const resumed = createModel(engine, config, { seed: 1 }); // a fresh process reopens the base
    const resumedOutcome = run(resumed, dir);
    expect(Array.from(resumed.flatParams)).toEqual(Array.from(straight.flatParams));
    for (const [module, pair] of straightOutcome.adapter!.pairs) {
      expect(Array.from(resumedOutcome.adapter!.pairs.get(module)!.b)).toEqual(Array.from(pair.b));
    }
  });

  it('refuses adapter dropout, which a merged weight cannot apply', () => {
    const model = createModel(engine, config, { seed: 1 });
    expect(() => loraTrainable(model, { ...lora, dropout: 0.05 }, 1)).toThrow(/--lora-dropout: 0.05 is not supported/);
  });
});

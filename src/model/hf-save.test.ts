import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { announceSkip, findPython } from '../../test/helpers/python-env.ts';
import { loadHfModel } from './hf-checkpoint.ts';
import { saveHfModel, toF16 } from './hf-save.ts';
import { halfToFloat, indexHfWeights, storedDtypes } from './hf-weights.ts';

describe('toF16', () => {
  it('encodes hand-checked values', () => {
    const input = Float32Array.from([1, -2, 65504, 2 ** -24, 0.1, 1e6, -1e-9, Infinity, Number.NaN]);
    const out = Array.from(toF16(input));
    expect(out.slice(0, 8)).toEqual([0x3c00, 0xc000, 0x7bff, 0x0001, 0x2e66, 0x7c00, 0x8000, 0x7c00]);
    expect(halfToFloat(out[8] as number)).toBeNaN();
  });

  it('gives the nearest half (ties to even) for 20,000 random floats across the range (property)', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const input = Float32Array.from({ length: 20000 }, () => (random() - 0.5) * 2 ** (random() * 44 - 28));
    const out = toF16(input);
    input.forEach((x, i) => {
      const h = out[i] as number;
      const error = Math.abs(halfToFloat(h) - x);
      for (const neighbour of [h - 1, h + 1]) {
        if ((neighbour & 0x7fff) > 0x7bff || neighbour < 0 || (neighbour ^ h) & 0x8000) continue;
        const other = Math.abs(halfToFloat(neighbour) - x);
        expect(error < other || (error === other && (h & 1) === 0)).toBe(true);
      }
    });
  });
});

const lookup = findPython(['torch', 'transformers', 'safetensors']);
const skip = announceSkip('saveHfModel on a transformers checkpoint', lookup);

describe.skipIf(skip)('saveHfModel writes the layout back', () => {
  const root = mkdtempSync(join(tmpdir(), 'eto-hf-save-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  it('a BF16 sharded Qwen2 checkpoint saved as BF16 reloads bit for bit; as F16/F32 it keeps names and shapes', () => {
    if (!lookup.found) return;
    const script = fileURLToPath(new URL('../../python/hf_random_model.py', import.meta.url));
    const source = join(root, 'source');
    const config = {
      model_type: 'qwen2', vocab_size: 61, hidden_size: 32, intermediate_size: 48, num_hidden_layers: 2,
      num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 128, initializer_range: 0.3,
    };
    const request = { dir: source, config, dtype: 'bfloat16', max_shard_size: '20KB', ids: [1, 2, 3], seed: 3 };
    execFileSync(lookup.env.python, [script], { input: JSON.stringify([request]), stdio: 'pipe' });
    const model = loadHfModel(source);
    expect(model.storedDtype).toBe('BF16');
    saveHfModel(join(root, 'bf16'), model);
    const again = loadHfModel(join(root, 'bf16'));
    expect([...again.params.keys()]).toEqual([...model.params.keys()]);
    for (const [name, data] of model.params) expect(again.params.get(name)).toEqual(data);
    expect(again.config).toEqual(model.config);
    const original = JSON.parse(readFileSync(join(source, 'config.json'), 'utf8'));
    expect(JSON.parse(readFileSync(join(root, 'bf16', 'config.json'), 'utf8'))).toEqual(original);
    for (const dtype of ['F16', 'F32'] as const) {
      saveHfModel(join(root, dtype), model, dtype);
      expect([...storedDtypes(indexHfWeights(join(root, dtype)))]).toEqual([dtype]);
      const widened = loadHfModel(join(root, dtype));
      for (const [name, data] of model.params) expect(widened.params.get(name)?.length).toBe(data.length);
    }
    // bf16 values are exact in f32, so the F32 copy holds exactly the source's values
    const f32 = loadHfModel(join(root, 'F32'));
    for (const [name, data] of model.params) expect(f32.params.get(name)).toEqual(data);
  }, 120_000);
});

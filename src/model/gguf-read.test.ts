import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { announceSkip, findPython } from '../../test/helpers/python-env.ts';
import { findSmollm2 } from '../../test/helpers/real-model.ts';
import { halfToFloat } from './gguf-dequant.ts';
import { ggmlTypeName } from './gguf-format.ts';
import { readGguf, tensorValues } from './gguf-read.ts';

const script = fileURLToPath(new URL('../../python/gguf_check.py', import.meta.url));
const python = findPython(['gguf', 'numpy']);
const model = findSmollm2();
const skipPython = announceSkip('GGUF dequantization vs gguf-py', python);
if (!model.found) console.warn(`[skipped] SmolLM2 dequantization: ${model.reason}`);

/** Largest distance in units of the last place between two f32 arrays (0 = bit-identical). */
function maxUlp(a: Float32Array, b: Float32Array): number {
  const ai = new Int32Array(a.buffer, a.byteOffset, a.length);
  const bi = new Int32Array(b.buffer, b.byteOffset, b.length);
  let worst = 0;
  // map sign-magnitude to a monotonic integer line
  const line = (x: number): number => (x < 0 ? -0x80000000 - x : x);
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(line(ai[i] as number) - line(bi[i] as number)));
  return worst;
}

describe('halfToFloat', () => {
  it('decodes the binary16 landmarks', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(Number.isNaN(halfToFloat(0x7e00))).toBe(true);
  });
});

describe.skipIf(skipPython)('dequantization equals gguf.quants.dequantize', () => {
  it('random tensors of every supported type written by the gguf package', () => {
    if (!python.found) return;
    const dir = mkdtempSync(join(tmpdir(), 'eto-gguf-random-'));
    try {
      const types = JSON.parse(
        execFileSync(python.env.python, [script, 'random', dir], { encoding: 'utf8' }),
      ) as Record<string, string>;
      expect(Object.values(types).sort()).toEqual([
        'BF16',
        'F16',
        'F32',
        'Q4_0',
        'Q4_1',
        'Q4_K',
        'Q5_0',
        'Q5_1',
        'Q5_K',
        'Q6_K',
        'Q8_0',
      ]);
      const gguf = readGguf(join(dir, 'random.gguf'));
      for (const info of gguf.tensors) {
        expect(ggmlTypeName(info.type)).toBe(types[info.name]);
        const expected = new Float32Array(new Uint8Array(readFileSync(join(dir, `${info.name}.f32`))).buffer);
        const actual = tensorValues(gguf, info);
        expect(actual.length, info.name).toBe(expected.length);
        expect(maxUlp(actual, expected), info.name).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!model.found)(
    'every tensor of the SmolLM2 Q4_1 file, bit for bit',
    () => {
      if (!python.found || !model.found) return;
      const reference = JSON.parse(
        execFileSync(python.env.python, [script, 'hashes', model.file], {
          encoding: 'utf8',
          maxBuffer: 1 << 26,
        }),
      ) as Record<string, { type: string; sha256: string }>;
      const gguf = readGguf(model.file);
      expect(gguf.tensors).toHaveLength(Object.keys(reference).length);
      const mismatched: string[] = [];
      for (const info of gguf.tensors) {
        const values = tensorValues(gguf, info);
        const sha = createHash('sha256')
          .update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
          .digest('hex');
        if (sha !== reference[info.name]?.sha256) mismatched.push(`${info.name} (${reference[info.name]?.type})`);
      }
      expect(mismatched).toEqual([]);
    },
    120_000,
  );
});

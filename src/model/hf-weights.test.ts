import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { announceSkip, findPython } from '../../test/helpers/python-env.ts';
import { halfToFloat, indexHfWeights, readHfTensor, storedDtypes } from './hf-weights.ts';

describe('halfToFloat', () => {
  it('decodes hand-checked binary16 bit patterns', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0x0001)).toBe(2 ** -24); // smallest subnormal
    expect(halfToFloat(0x3555)).toBeCloseTo(0.333251953125, 15);
    expect(halfToFloat(0x7c00)).toBe(Number.POSITIVE_INFINITY);
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });
});

const lookup = findPython(['torch', 'safetensors']);
const skip = announceSkip('hf weights vs safetensors/torch', lookup);

describe.skipIf(skip)('indexHfWeights + readHfTensor on files written by safetensors.torch', () => {
  const root = mkdtempSync(join(tmpdir(), 'eto-hf-weights-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const script = fileURLToPath(new URL('../../python/write_shards.py', import.meta.url));
  const cases = [
    ['F32', 1],
    ['F16', 1],
    ['BF16', 1],
    ['BF16', 3],
    ['F16', 2],
  ] as const;
  for (const [dtype, shards] of cases) {
    it(`${dtype} in ${shards} shard(s): every tensor equals torch's float32 widening bit for bit`, () => {
      if (!lookup.found) return;
      const dir = mkdtempSync(join(root, `${dtype}-${shards}-`));
      execFileSync(lookup.env.python, [script], { input: JSON.stringify({ dir, dtype, shards, seed: shards }) });
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<
        string,
        [number[], number[]]
      >;
      const entries = indexHfWeights(dir);
      expect([...entries.keys()].sort()).toEqual(Object.keys(expected).sort());
      expect([...storedDtypes(entries)]).toEqual([dtype]);
      for (const [name, [shape, values]] of Object.entries(expected)) {
        const tensor = readHfTensor(entries.get(name) as Parameters<typeof readHfTensor>[0]);
        expect(tensor.shape).toEqual(shape);
        const bits = new Uint32Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.length);
        expect(Array.from(bits)).toEqual(values);
      }
    }, 60_000);
  }
});

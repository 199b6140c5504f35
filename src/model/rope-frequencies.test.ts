import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { announceSkip, findPython } from '../../test/helpers/python-env.ts';
import { parseHfConfig } from './hf-config.ts';
import { ropeInverseFrequencies } from './rope-frequencies.ts';

const base = {
  architectures: ['LlamaForCausalLM'], model_type: 'llama', vocab_size: 64, hidden_size: 64, intermediate_size: 96,
  num_hidden_layers: 1, num_attention_heads: 2, head_dim: 32, max_position_embeddings: 8192, rope_theta: 500000,
};
const llama3 = {
  ...base,
  rope_scaling: {
    rope_type: 'llama3', factor: 32, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 64,
  },
};
const linear = { ...base, rope_scaling: { rope_type: 'linear', factor: 4 } };

describe('ropeInverseFrequencies', () => {
  it('default is 1/theta^(2i/D) (hand-computed) and linear divides it by the factor', () => {
    const inv = ropeInverseFrequencies(4, 10000, { type: 'default' });
    expect(Array.from(inv)).toEqual([1, 0.01]);
    expect(Array.from(ropeInverseFrequencies(4, 10000, { type: 'linear', factor: 4 }))).toEqual([0.25, 0.0025]);
  });

  it('llama3 keeps short wavelengths, divides long ones by the factor and interpolates between', () => {
    const c = parseHfConfig(llama3, 'c');
    const plain = ropeInverseFrequencies(32, 500000, { type: 'default' });
    const scaled = ropeInverseFrequencies(32, 500000, c.ropeScaling);
    for (let i = 0; i < plain.length; i++) {
      const wavelen = (2 * Math.PI) / (plain[i] as number);
      if (wavelen < 16) expect(scaled[i]).toBe(plain[i]);
      else if (wavelen > 64) expect(scaled[i]).toBeCloseTo((plain[i] as number) / 32, 15);
      else expect(scaled[i]).toBeGreaterThanOrEqual((plain[i] as number) / 32);
    }
  });

  const lookup = findPython(['torch', 'transformers']);
  const skip = announceSkip('rope frequencies vs transformers', lookup);
  describe.skipIf(skip)('against transformers (modeling_rope_utils)', () => {
    const script = fileURLToPath(new URL('../../python/rope_inv_freq.py', import.meta.url));
    for (const [name, json] of [['default', base], ['linear', linear], ['llama3', llama3]] as const) {
      it(`${name} equals transformers' inv_freq ≤ 1e-6 relative (it computes in float32)`, () => {
        if (!lookup.found) return;
        const { architectures: _, ...raw } = json;
        const out = execFileSync(lookup.env.python, [script], { input: JSON.stringify(raw) }).toString();
        const theirs = JSON.parse(out) as number[];
        const c = parseHfConfig(json, 'c');
        const ours = ropeInverseFrequencies(c.headDim, c.ropeTheta, c.ropeScaling);
        expect(theirs).toHaveLength(ours.length);
        theirs.forEach((t, i) => expect(Math.abs(t - (ours[i] as number))).toBeLessThanOrEqual(1e-6 * Math.abs(t)));
      }, 60_000);
    }
  });
});

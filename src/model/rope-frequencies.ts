// Rotary inverse frequencies as transformers builds them (modeling_rope_utils): the default
// 1 / theta^(2i/D), divided by `factor` for linear scaling, and llama3's band-wise scaling: wavelengths longer
// than original_max / low_freq_factor are slowed by `factor`, shorter than original_max / high_freq_factor
// kept, and the band between interpolated.
import type { RopeScaling } from './hf-config.ts';

/** [D/2] inverse frequencies, float64, for head size D. */
export function ropeInverseFrequencies(headDim: number, theta: number, scaling: RopeScaling): Float64Array {
  const half = headDim / 2;
  const inv = new Float64Array(half);
  for (let i = 0; i < half; i++) inv[i] = 1 / theta ** ((2 * i) / headDim);
  if (scaling.type === 'linear') for (let i = 0; i < half; i++) inv[i] = (inv[i] as number) / scaling.factor;
  if (scaling.type === 'llama3') {
    const { factor, lowFreqFactor, highFreqFactor, originalMaxPositionEmbeddings: original } = scaling;
    const lowFreqWavelen = original / lowFreqFactor;
    const highFreqWavelen = original / highFreqFactor;
    for (let i = 0; i < half; i++) {
      const f = inv[i] as number;
      const wavelen = (2 * Math.PI) / f;
      if (wavelen > lowFreqWavelen) inv[i] = f / factor;
      else if (wavelen >= highFreqWavelen) {
        const smooth = (original / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        inv[i] = ((1 - smooth) * f) / factor + smooth * f;
      }
    }
  }
  return inv;
}

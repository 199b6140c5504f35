// Plain-TypeScript reference kernels: the test oracle for the WebAssembly kernels and the fallback backend.
// Same signatures as the Engine methods, on ordinary typed arrays (Float64Array works for gradient checks).
// Sums run in float64. Deliberately simple loops: clarity over speed.

import type { RopeFreqs } from './types.ts';

export type Vec = Float32Array | Float64Array;

export interface AdamWStep { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; step: number }

// out (rows, outDim) = x (rows, inDim) · wᵀ, w (outDim, inDim)
export function linear(out: Vec, x: Vec, w: Vec, rows: number, inDim: number, outDim: number): void {
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outDim; o++) {
      let s = 0;
      for (let i = 0; i < inDim; i++) s += x[r * inDim + i]! * w[o * inDim + i]!;
      out[r * outDim + o] = s;
    }
  }
}

// dx (rows, inDim) += dout · w ; dw (outDim, inDim) += doutᵀ · x ; a null output is skipped
export function linearBackward(dx: Vec | null, dw: Vec | null, dout: Vec, x: Vec, w: Vec, rows: number, inDim: number,
  outDim: number): void {
  if (dx) {
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < inDim; i++) {
        let s = 0;
        for (let o = 0; o < outDim; o++) s += dout[r * outDim + o]! * w[o * inDim + i]!;
        dx[r * inDim + i]! += s;
      }
    }
  }
  if (!dw) return;
  for (let o = 0; o < outDim; o++) {
    for (let i = 0; i < inDim; i++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += dout[r * outDim + o]! * x[r * inDim + i]!;
      dw[o * inDim + i]! += s;
    }
  }
}

export function checkIds(ids: Int32Array, n: number, vocab: number): void {
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (!(id >= 0 && id < vocab)) throw new RangeError(`token id ${id} at position ${i} is outside the table (0..${vocab - 1})`);
  }
}

// out (n, dim) = table[ids] ; table (V, dim)
export function embedding(out: Vec, table: Vec, ids: Int32Array, n: number, dim: number): void {
  checkIds(ids, n, Math.floor(table.length / dim));
  for (let i = 0; i < n; i++) {
    const row = ids[i]! * dim;
    for (let c = 0; c < dim; c++) out[i * dim + c] = table[row + c]!;
  }
}

export function embeddingBackward(dtable: Vec, dout: Vec, ids: Int32Array, n: number, dim: number): void {
  checkIds(ids, n, Math.floor(dtable.length / dim));
  for (let i = 0; i < n; i++) {
    const row = ids[i]! * dim;
    for (let c = 0; c < dim; c++) dtable[row + c]! += dout[i * dim + c]!;
  }
}

// out = x · rstd · weight, rstd = 1/sqrt(mean(x²) + eps) per row
export function rmsnorm(out: Vec, rstd: Vec, x: Vec, weight: Vec, rows: number, dim: number, eps: number): void {
  for (let r = 0; r < rows; r++) {
    let ss = 0;
    for (let c = 0; c < dim; c++) ss += x[r * dim + c]! ** 2;
    const s = 1 / Math.sqrt(ss / dim + eps);
    rstd[r] = s;
    for (let c = 0; c < dim; c++) out[r * dim + c] = x[r * dim + c]! * s * weight[c]!;
  }
}

export function rmsnormBackward(dx: Vec, dweight: Vec, dout: Vec, x: Vec, weight: Vec, rstd: Vec, rows: number, dim: number): void {
  for (let r = 0; r < rows; r++) {
    const s = rstd[r]!;
    // dx = s·(g − xhat·mean(g·xhat)), g = dout·weight, xhat = x·s
    let dot = 0;
    for (let c = 0; c < dim; c++) dot += dout[r * dim + c]! * weight[c]! * x[r * dim + c]! * s;
    const meanDot = dot / dim;
    for (let c = 0; c < dim; c++) {
      const xhat = x[r * dim + c]! * s;
      dweight[c]! += dout[r * dim + c]! * xhat;
      dx[r * dim + c]! += s * (dout[r * dim + c]! * weight[c]! - xhat * meanDot);
    }
  }
}

// HF rotate_half layout: pairs (i, i + hs/2), frequency theta^(−2i/hs) or freqs[i], angle = position · frequency.
function rotate(x: Vec, positions: Int32Array, n: number, heads: number, hs: number, freqs: RopeFreqs, sign: number): void {
  const half = hs >> 1;
  if (typeof freqs !== 'number' && freqs.length !== half) {
    throw new RangeError(`rope frequency table holds ${freqs.length} values, head size ${hs} needs ${half}`);
  }
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < half; i++) {
      const inverse = typeof freqs === 'number' ? Math.pow(freqs, (-2 * i) / hs) : freqs[i]!;
      const angle = positions[t]! * inverse;
      const cos = Math.cos(angle);
      const sin = sign * Math.sin(angle);
      for (let h = 0; h < heads; h++) {
        const base = (t * heads + h) * hs;
        const x1 = x[base + i]!;
        const x2 = x[base + i + half]!;
        x[base + i] = x1 * cos - x2 * sin;
        x[base + i + half] = x2 * cos + x1 * sin;
      }
    }
  }
}

export function rope(x: Vec, positions: Int32Array, n: number, heads: number, hs: number, freqs: RopeFreqs): void {
  rotate(x, positions, n, heads, hs, freqs, 1);
}

export function ropeBackward(dx: Vec, positions: Int32Array, n: number, heads: number, hs: number, freqs: RopeFreqs): void {
  rotate(dx, positions, n, heads, hs, freqs, -1);
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function swiglu(out: Vec, gate: Vec, up: Vec, n: number): void {
  for (let i = 0; i < n; i++) out[i] = gate[i]! * sigmoid(gate[i]!) * up[i]!;
}

export function swigluBackward(dgate: Vec, dup: Vec, dout: Vec, gate: Vec, up: Vec, n: number): void {
  for (let i = 0; i < n; i++) {
    const g = gate[i]!;
    const sg = sigmoid(g);
    dgate[i]! += dout[i]! * up[i]! * sg * (1 + g * (1 - sg));
    dup[i]! += dout[i]! * g * sg;
  }
}

export function add(out: Vec, a: Vec, b: Vec, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
}

// logprobs[r] = logits[r, targets[r]] − logsumexp(logits[r]); 0 where targets[r] < 0
export function logSoftmaxTargets(logprobs: Vec, lse: Vec, logits: Vec, targets: Int32Array, rows: number, V: number): void {
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let j = 0; j < V; j++) max = Math.max(max, logits[r * V + j]!);
    let sum = 0;
    for (let j = 0; j < V; j++) sum += Math.exp(logits[r * V + j]! - max);
    const l = max + Math.log(sum);
    lse[r] = l;
    const target = targets[r]!;
    if (target >= V) throw new RangeError(`targets[${r}] = ${target} is outside the vocabulary of ${V}`);
    logprobs[r] = target < 0 ? 0 : logits[r * V + target]! - l;
  }
}

// dlogits[r] = weights[r] · (onehot(targets[r]) − softmax(logits[r])); overwrites, may alias logits
export function logSoftmaxTargetsBackward(dlogits: Vec, logits: Vec, lse: Vec, targets: Int32Array, weights: Vec, rows: number, V: number): void {
  for (let r = 0; r < rows; r++) {
    const target = targets[r]!;
    const weight = weights[r]!;
    const l = lse[r]!;
    for (let j = 0; j < V; j++) {
      const value = target < 0 || weight === 0 ? 0 : weight * ((j === target ? 1 : 0) - Math.exp(logits[r * V + j]! - l));
      dlogits[r * V + j] = value;
    }
  }
}

// torch.optim.AdamW: p −= lr·wd·p; m, v moments; p −= (lr/(1−β1^t)) · m / (sqrt(v)/sqrt(1−β2^t) + eps)
export function adamw(params: Vec, grads: Vec, m: Vec, v: Vec, n: number, o: AdamWStep): void {
  const bc1 = 1 - Math.pow(o.beta1, o.step);
  const bc2Sqrt = Math.sqrt(1 - Math.pow(o.beta2, o.step));
  const decay = 1 - o.lr * o.weightDecay;
  const stepSize = o.lr / bc1;
  for (let i = 0; i < n; i++) {
    const g = grads[i]!;
    const mi = o.beta1 * m[i]! + (1 - o.beta1) * g;
    const vi = o.beta2 * v[i]! + (1 - o.beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    params[i] = params[i]! * decay - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + o.eps);
  }
}

export function sumSquares(x: Vec, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]! * x[i]!;
  return s;
}

export function scale(x: Vec, s: number, n: number): void {
  for (let i = 0; i < n; i++) x[i]! *= s;
}

export { attention, attentionBackward, attentionDecode } from './reference-attention.ts';

// Test cases that run one kernel call on either the reference (float64 arrays) or an engine (its own memory),
// so the two can be compared on the same random inputs. Used by wasm.test.ts; sizes avoid SIMD multiples.
import type * as bias from './reference-bias.ts';
import type * as ref from './reference.ts';

export type Kernels = Pick<typeof ref, 'linear' | 'linearBackward' | 'embedding' | 'embeddingBackward' | 'rmsnorm' |
  'rmsnormBackward' | 'rope' | 'ropeBackward' | 'attention' | 'attentionBackward' | 'attentionDecode' | 'swiglu' |
  'swigluBackward' | 'add' | 'logSoftmaxTargets' | 'logSoftmaxTargetsBackward' | 'adamw' | 'sumSquares' | 'scale'> &
  Pick<typeof bias, 'biasAdd' | 'biasBackward'>;

type Arrays = Record<string, Float64Array | Float32Array>;
type Ints = Record<string, Int32Array>;

export interface KernelCase {
  name: string;
  floats: Record<string, { length: number; scale?: number }>;
  ints?: Record<string, { length: number; below: number; negatives?: boolean; min?: number }>;
  /** arrays compared after the call (inputs that are also outputs start random, to check accumulation) */
  outputs: string[];
  call(k: Kernels, f: Arrays, i: Ints): number | void;
}

const g = (f: Arrays, name: string): Float64Array => f[name] as Float64Array;

export function kernelCases(s: number): KernelCase[] {
  const cases: KernelCase[] = [];
  for (const [rows, inDim, outDim] of [[s, 33, 17], [17, s, 130], [33, 130, s]] as const) {
    cases.push({
      name: `linear ${rows}×${inDim}→${outDim}`,
      floats: { out: { length: rows * outDim }, x: { length: rows * inDim }, w: { length: outDim * inDim } },
      outputs: ['out'],
      call: (k, f) => k.linear(g(f, 'out'), g(f, 'x'), g(f, 'w'), rows, inDim, outDim),
    }, {
      name: `linearBackward ${rows}×${inDim}→${outDim}`,
      floats: { dx: { length: rows * inDim }, dw: { length: outDim * inDim }, dout: { length: rows * outDim }, x: { length: rows * inDim }, w: { length: outDim * inDim } },
      outputs: ['dx', 'dw'],
      call: (k, f) => k.linearBackward(g(f, 'dx'), g(f, 'dw'), g(f, 'dout'), g(f, 'x'), g(f, 'w'), rows, inDim, outDim),
    });
  }
  cases.push({
    name: `linearBackward without dx ${s}`,
    floats: { dw: { length: 5 * s }, dout: { length: 3 * 5 }, x: { length: 3 * s }, w: { length: 5 * s } },
    outputs: ['dw'],
    call: (k, f) => k.linearBackward(null, g(f, 'dw'), g(f, 'dout'), g(f, 'x'), g(f, 'w'), 3, s, 5),
  });
  cases.push({
    name: `linearBackward without dw ${s}`,
    floats: { dx: { length: 3 * s }, dout: { length: 3 * 5 }, x: { length: 3 * s }, w: { length: 5 * s } },
    outputs: ['dx'],
    call: (k, f) => k.linearBackward(g(f, 'dx'), null, g(f, 'dout'), g(f, 'x'), g(f, 'w'), 3, s, 5),
  });
  const V = 11;
  cases.push({
    name: `embedding n=${s} dim=${s}`,
    floats: { out: { length: s * s }, table: { length: V * s } }, ints: { ids: { length: s, below: V } }, outputs: ['out'],
    call: (k, f, i) => k.embedding(g(f, 'out'), g(f, 'table'), i.ids!, s, s),
  }, {
    name: `embeddingBackward n=${s} dim=${s}`,
    floats: { dtable: { length: V * s }, dout: { length: s * s } }, ints: { ids: { length: s, below: V } }, outputs: ['dtable'],
    call: (k, f, i) => k.embeddingBackward(g(f, 'dtable'), g(f, 'dout'), i.ids!, s, s),
  });
  for (const [rows, dim] of [[s, 33], [17, s]] as const) {
    cases.push({
      name: `rmsnorm ${rows}×${dim}`,
      floats: { out: { length: rows * dim }, rstd: { length: rows }, x: { length: rows * dim }, weight: { length: dim } }, outputs: ['out', 'rstd'],
      call: (k, f) => k.rmsnorm(g(f, 'out'), g(f, 'rstd'), g(f, 'x'), g(f, 'weight'), rows, dim, 1e-5),
    }, {
      name: `rmsnormBackward ${rows}×${dim}`,
      floats: { dx: { length: rows * dim }, dweight: { length: dim }, dout: { length: rows * dim }, x: { length: rows * dim },
        weight: { length: dim }, rstd: { length: rows, scale: 2 } },
      outputs: ['dx', 'dweight'],
      call: (k, f) => k.rmsnormBackward(g(f, 'dx'), g(f, 'dweight'), g(f, 'dout'), g(f, 'x'), g(f, 'weight'), g(f, 'rstd'), rows, dim),
    });
  }
  const hs = 2 * s; // 260 exceeds the cached cos/sin table width; positions up to 6000 exceed its rows
  for (const backward of [false, true]) {
    cases.push({
      name: `rope${backward ? 'Backward' : ''} n=${s} hs=${hs}`,
      floats: { x: { length: s * 3 * hs } }, ints: { positions: { length: s, below: 6000 } }, outputs: ['x'],
      call: (k, f, i) => (backward ? k.ropeBackward : k.rope)(g(f, 'x'), i.positions!, s, 3, hs, 10000),
    });
  }
  // a frequency table (llama3/linear scaling): cached head size, and one past the table's width
  for (const [tableHs, backward] of [[34, false], [34, true], [hs, true]] as const) {
    const table = Float64Array.from({ length: tableHs / 2 }, (_, i) => 0.9 ** i / (1 + i % 3));
    cases.push({
      name: `rope${backward ? 'Backward' : ''} with a frequency table n=${s} hs=${tableHs}`,
      floats: { x: { length: s * 3 * tableHs } }, ints: { positions: { length: s, below: 6000 } }, outputs: ['x'],
      call: (k, f, i) => (backward ? k.ropeBackward : k.rope)(g(f, 'x'), i.positions!, s, 3, tableHs, table),
    });
  }
  for (const [rows, dim] of [[s, 33], [17, s]] as const) {
    cases.push({
      name: `biasAdd ${rows}×${dim}`, floats: { x: { length: rows * dim }, bias: { length: dim } }, outputs: ['x'],
      call: (k, f) => k.biasAdd(g(f, 'x'), g(f, 'bias'), rows, dim),
    }, {
      name: `biasBackward ${rows}×${dim}`, floats: { dbias: { length: dim }, dout: { length: rows * dim } },
      outputs: ['dbias'], call: (k, f) => k.biasBackward(g(f, 'dbias'), g(f, 'dout'), rows, dim),
    });
  }
  for (const [B, T, H, KVH, headSize] of [[2, s, 4, 2, 6], [1, 17, 2, 1, s]] as const) {
    const qn = B * T * H * headSize;
    const kn = B * T * KVH * headSize;
    cases.push({
      name: `attention B${B} T${T} H${H} KVH${KVH} hs${headSize}`,
      floats: { out: { length: qn }, lse: { length: B * H * T }, q: { length: qn, scale: 2 }, k: { length: kn, scale: 2 }, v: { length: kn } },
      outputs: ['out', 'lse'],
      call: (k, f) => k.attention(g(f, 'out'), g(f, 'lse'), g(f, 'q'), g(f, 'k'), g(f, 'v'), B, T, H, KVH, headSize),
    }, {
      name: `attentionBackward B${B} T${T} H${H} KVH${KVH} hs${headSize}`,
      floats: { dq: { length: qn }, dk: { length: kn }, dv: { length: kn }, dout: { length: qn },
        out: { length: qn }, lse: { length: B * H * T }, q: { length: qn, scale: 2 }, k: { length: kn, scale: 2 }, v: { length: kn } },
      outputs: ['dq', 'dk', 'dv'],
      call: (k, f) => {
        k.attention(g(f, 'out'), g(f, 'lse'), g(f, 'q'), g(f, 'k'), g(f, 'v'), B, T, H, KVH, headSize); // consistent out, lse
        k.attentionBackward(g(f, 'dq'), g(f, 'dk'), g(f, 'dv'), g(f, 'dout'), g(f, 'out'), g(f, 'lse'), g(f, 'q'), g(f, 'k'), g(f, 'v'), B, T, H, KVH, headSize);
      },
    });
  }
  const maxT = s + 2;
  for (const hsd of [5, 34]) { // 34: two 16-float register blocks of the weighted sum, then a tail
    cases.push({
      name: `attentionDecode maxT ${maxT} hs ${hsd}`,
      floats: { out: { length: 3 * 4 * hsd }, q: { length: 3 * 4 * hsd, scale: 2 }, kc: { length: 3 * maxT * 2 * hsd, scale: 2 }, vc: { length: 3 * maxT * 2 * hsd } },
      ints: { lengths: { length: 3, below: maxT + 1, min: 1 } }, outputs: ['out'],
      call: (k, f, i) => k.attentionDecode(g(f, 'out'), g(f, 'q'), g(f, 'kc'), g(f, 'vc'), i.lengths!, 3, maxT, 4, 2, hsd),
    });
  }
  // five query rows over three cache slots, two rows sharing a slot at different lengths (a prefilled chunk)
  cases.push({
    name: `attentionDecode with slots maxT ${maxT}`,
    floats: { out: { length: 5 * 4 * 34 }, q: { length: 5 * 4 * 34, scale: 2 },
      kc: { length: 3 * maxT * 2 * 34, scale: 2 },
      vc: { length: 3 * maxT * 2 * 34 } },
    ints: { lengths: { length: 5, below: maxT + 1, min: 1 }, slots: { length: 5, below: 3 } }, outputs: ['out'],
    call: (k, f, i) =>
      k.attentionDecode(g(f, 'out'), g(f, 'q'), g(f, 'kc'), g(f, 'vc'), i.lengths!, 5, maxT, 4, 2, 34, i.slots!),
  });
  const n = s * 257; // also large enough to be split between threads
  cases.push({
    name: `swiglu n=${n}`, floats: { out: { length: n }, gate: { length: n, scale: 12 }, up: { length: n } }, outputs: ['out'],
    call: (k, f) => k.swiglu(g(f, 'out'), g(f, 'gate'), g(f, 'up'), n),
  }, {
    name: `swigluBackward n=${n}`,
    floats: { dgate: { length: n }, dup: { length: n }, dout: { length: n }, gate: { length: n, scale: 12 }, up: { length: n } },
    outputs: ['dgate', 'dup'],
    call: (k, f) => k.swigluBackward(g(f, 'dgate'), g(f, 'dup'), g(f, 'dout'), g(f, 'gate'), g(f, 'up'), n),
  }, {
    name: `add n=${n} (out aliases a)`, floats: { a: { length: n }, b: { length: n } }, outputs: ['a'],
    call: (k, f) => k.add(g(f, 'a'), g(f, 'a'), g(f, 'b'), n),
  }, {
    name: `scale n=${n}`, floats: { x: { length: n } }, outputs: ['x'], call: (k, f) => k.scale(g(f, 'x'), -0.37, n),
  }, {
    name: `sumSquares n=${n}`, floats: { x: { length: n } }, outputs: [], call: (k, f) => k.sumSquares(g(f, 'x'), n),
  });
  for (const [rows, vocab] of [[s, 33], [5, s]] as const) {
    cases.push({
      name: `logSoftmaxTargets ${rows}×${vocab}`,
      floats: { logprobs: { length: rows }, lse: { length: rows }, logits: { length: rows * vocab, scale: 8 } },
      ints: { targets: { length: rows, below: vocab, negatives: true } }, outputs: ['logprobs', 'lse'],
      call: (k, f, i) => k.logSoftmaxTargets(g(f, 'logprobs'), g(f, 'lse'), g(f, 'logits'), i.targets!, rows, vocab),
    }, {
      name: `logSoftmaxTargetsBackward ${rows}×${vocab} (aliased)`,
      floats: { logprobs: { length: rows }, lse: { length: rows }, logits: { length: rows * vocab, scale: 8 }, weights: { length: rows } },
      ints: { targets: { length: rows, below: vocab, negatives: true } }, outputs: ['logits'],
      call: (k, f, i) => {
        const weights = g(f, 'weights');
        weights[0] = 0; // a zero weight gives a zero row
        k.logSoftmaxTargets(g(f, 'logprobs'), g(f, 'lse'), g(f, 'logits'), i.targets!, rows, vocab);
        k.logSoftmaxTargetsBackward(g(f, 'logits'), g(f, 'logits'), g(f, 'lse'), i.targets!, weights, rows, vocab);
      },
    });
  }
  cases.push({
    name: `adamw n=${n}, three steps`,
    floats: { p: { length: n }, grad: { length: n }, m: { length: n, scale: 0.1 }, v: { length: n, scale: 0 } }, outputs: ['p', 'm', 'v'],
    call: (k, f) => {
      for (const step of [1, 2, 3]) {
        k.adamw(g(f, 'p'), g(f, 'grad'), g(f, 'm'), g(f, 'v'), n, { lr: 0.01, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, step });
      }
    },
  });
  return cases;
}

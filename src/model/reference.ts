// A float64 forward pass of Hugging Face LlamaForCausalLM in plain TypeScript: the test oracle for the
// engine-backed model. Written for clarity, not speed; independent of src/engine on purpose.
import { headDim, type LlamaConfig } from './config.ts';

type Weights = Map<string, Float32Array | Float64Array>;

/** Logits (T, V) for one sequence of token ids. */
export function referenceLogits(config: LlamaConfig, params: Weights, ids: ArrayLike<number>): Float64Array {
  const T = ids.length;
  const C = config.hiddenSize;
  const hs = headDim(config);
  const H = config.numAttentionHeads;
  const KVH = config.numKeyValueHeads;
  const get = (name: string): Float32Array | Float64Array => {
    const w = params.get(name);
    if (!w) throw new Error(`referenceLogits: missing parameter ${name}`);
    return w;
  };
  const embed = get('model.embed_tokens.weight'); // (V, C)
  let x: Float64Array[] = Array.from({ length: T }, (_, t) => Float64Array.from(embed.subarray((ids[t] as number) * C, ((ids[t] as number) + 1) * C)));
  for (let l = 0; l < config.numHiddenLayers; l++) {
    const p = `model.layers.${l}.`;
    const normed = x.map((row) => rmsnorm(row, get(`${p}input_layernorm.weight`), config.rmsNormEps));
    const q = normed.map((row, t) => rope(matvec(get(`${p}self_attn.q_proj.weight`), row, H * hs), t, H, hs, config.ropeTheta));
    const k = normed.map((row, t) => rope(matvec(get(`${p}self_attn.k_proj.weight`), row, KVH * hs), t, KVH, hs, config.ropeTheta));
    const v = normed.map((row) => matvec(get(`${p}self_attn.v_proj.weight`), row, KVH * hs));
    const attended = q.map((qt, t) => attend(qt, k, v, t, H, KVH, hs)); // (T, H·hs)
    const projected = attended.map((row) => matvec(get(`${p}self_attn.o_proj.weight`), row, C));
    x = x.map((row, t) => add(row, projected[t] as Float64Array));
    const normed2 = x.map((row) => rmsnorm(row, get(`${p}post_attention_layernorm.weight`), config.rmsNormEps));
    const mlp = normed2.map((row) => {
      const gate = matvec(get(`${p}mlp.gate_proj.weight`), row, config.intermediateSize);
      const up = matvec(get(`${p}mlp.up_proj.weight`), row, config.intermediateSize);
      const hidden = gate.map((g, i) => (g / (1 + Math.exp(-g))) * (up[i] as number));
      return matvec(get(`${p}mlp.down_proj.weight`), hidden, C);
    });
    x = x.map((row, t) => add(row, mlp[t] as Float64Array));
  }
  const head = config.tieWordEmbeddings ? embed : get('lm_head.weight');
  const V = config.vocabSize;
  const logits = new Float64Array(T * V);
  x.forEach((row, t) => logits.set(matvec(head, rmsnorm(row, get('model.norm.weight'), config.rmsNormEps), V), t * V));
  return logits;
}

/** log p(ids[t] | ids[<t]) for t ≥ 1 (index 0 is 0), from the reference logits. */
export function referenceTokenLogProbs(config: LlamaConfig, params: Weights, ids: ArrayLike<number>): Float64Array {
  const logits = referenceLogits(config, params, ids);
  const V = config.vocabSize;
  const out = new Float64Array(ids.length);
  for (let t = 1; t < ids.length; t++) {
    const row = logits.subarray((t - 1) * V, t * V);
    let max = -Infinity;
    for (const z of row) max = Math.max(max, z);
    let sum = 0;
    for (const z of row) sum += Math.exp(z - max);
    out[t] = (row[ids[t] as number] as number) - max - Math.log(sum);
  }
  return out;
}

/** y (rows) = W (rows, cols) · x (cols) */
function matvec(w: Float32Array | Float64Array, x: ArrayLike<number>, rows: number): Float64Array {
  const cols = x.length;
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += (w[r * cols + c] as number) * (x[c] as number);
    y[r] = s;
  }
  return y;
}

function rmsnorm(x: Float64Array, weight: Float32Array | Float64Array, eps: number): Float64Array {
  let ms = 0;
  for (const v of x) ms += v * v;
  const scale = 1 / Math.sqrt(ms / x.length + eps);
  return x.map((v, i) => v * scale * (weight[i] as number));
}

/** HF rotate_half RoPE: pairs (i, i + hs/2) of each head rotate by position·θ^(−2i/hs). */
function rope(x: Float64Array, position: number, heads: number, hs: number, theta: number): Float64Array {
  const out = new Float64Array(x.length);
  const half = hs / 2;
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < half; i++) {
      const angle = position * Math.pow(theta, (-2 * i) / hs);
      const a = x[h * hs + i] as number;
      const b = x[h * hs + i + half] as number;
      out[h * hs + i] = a * Math.cos(angle) - b * Math.sin(angle);
      out[h * hs + i + half] = b * Math.cos(angle) + a * Math.sin(angle);
    }
  }
  return out;
}

/** Causal softmax attention of query t over keys 0..t; query head h reads kv head h / (H / KVH). */
function attend(q: Float64Array, k: Float64Array[], v: Float64Array[], t: number, H: number, KVH: number, hs: number): Float64Array {
  const out = new Float64Array(H * hs);
  const group = H / KVH;
  for (let h = 0; h < H; h++) {
    const kvh = Math.floor(h / group);
    const scores = new Float64Array(t + 1);
    for (let s = 0; s <= t; s++) {
      let dot = 0;
      for (let i = 0; i < hs; i++) dot += (q[h * hs + i] as number) * ((k[s] as Float64Array)[kvh * hs + i] as number);
      scores[s] = dot / Math.sqrt(hs);
    }
    const max = Math.max(...scores);
    const weights = scores.map((z) => Math.exp(z - max));
    const total = weights.reduce((a, b) => a + b, 0);
    for (let s = 0; s <= t; s++) {
      const weight = (weights[s] as number) / total;
      const vs = v[s] as Float64Array;
      for (let i = 0; i < hs; i++) out[h * hs + i] = (out[h * hs + i] as number) + weight * (vs[kvh * hs + i] as number);
    }
  }
  return out;
}

function add(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => v + (b[i] as number));
}

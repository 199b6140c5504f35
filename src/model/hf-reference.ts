// A float64 forward pass of the Hugging Face Llama family (Llama, Mistral, Qwen2, Qwen3) written from
// transformers' modeling code: q/k/v biases (Qwen2), per-head q/k RMSNorm before rope (Qwen3), head_dim
// independent of hidden/heads, GQA/MQA, rope frequencies with scaling. The oracle for imported checkpoints;
// plain loops, independent of src/engine and of the embedded model's reference.ts on purpose.
import type { HfModelConfig } from './hf-config.ts';
import { ropeInverseFrequencies } from './rope-frequencies.ts';

type Weights = Map<string, Float32Array | Float64Array>;
type Vector = Float32Array | Float64Array;

/** log p(ids[t] | ids[<t]) for t ≥ 1 (index 0 is 0). */
export function hfReferenceTokenLogProbs(config: HfModelConfig, params: Weights, ids: ArrayLike<number>): Float64Array {
  const logits = hfReferenceLogits(config, params, ids); // (T, V)
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

/** Logits (T, V) for one sequence. */
export function hfReferenceLogits(config: HfModelConfig, params: Weights, ids: ArrayLike<number>): Float64Array {
  const { hiddenSize: C, numAttentionHeads: H, numKeyValueHeads: KVH, headDim: D, rmsNormEps: eps } = config;
  const get = (name: string): Vector => {
    const w = params.get(name);
    if (!w) throw new Error(`hfReferenceLogits: missing parameter ${name}`);
    return w;
  };
  const maybe = (name: string): Vector | undefined => params.get(name);
  const invFreq = ropeInverseFrequencies(D, config.ropeTheta, config.ropeScaling); // (D/2)
  const embed = get('model.embed_tokens.weight'); // (V, C)
  let x: Float64Array[] = Array.from(ids, (id) => Float64Array.from(embed.subarray(id * C, (id + 1) * C))); // T×(C)
  for (let l = 0; l < config.numHiddenLayers; l++) {
    const p = `model.layers.${l}.`;
    const project = (name: string, row: Float64Array, rows: number): Float64Array =>
      linear(get(`${p}${name}.weight`), maybe(`${p}${name}.bias`), row, rows);
    const headNorm = (name: string, row: Float64Array, heads: number): Float64Array =>
      config.qkNorm ? perHeadRmsNorm(row, get(`${p}self_attn.${name}.weight`), heads, D, eps) : row;
    const normed = x.map((row) => rmsNorm(row, get(`${p}input_layernorm.weight`), eps));
    const q = normed.map((row, t) =>
      rope(headNorm('q_norm', project('self_attn.q_proj', row, H * D), H), t, H, D, invFreq),
    );
    const k = normed.map((row, t) =>
      rope(headNorm('k_norm', project('self_attn.k_proj', row, KVH * D), KVH), t, KVH, D, invFreq),
    );
    const v = normed.map((row) => project('self_attn.v_proj', row, KVH * D));
    const attended = q.map((qt, t) => attend(qt, k, v, t, H, KVH, D)); // T × (H·D)
    x = x.map((row, t) => add(row, project('self_attn.o_proj', attended[t] as Float64Array, C)));
    const normed2 = x.map((row) => rmsNorm(row, get(`${p}post_attention_layernorm.weight`), eps));
    x = x.map((row, t) => {
      const h = normed2[t] as Float64Array;
      const gate = project('mlp.gate_proj', h, config.intermediateSize);
      const up = project('mlp.up_proj', h, config.intermediateSize);
      const hidden = gate.map((g, i) => (g / (1 + Math.exp(-g))) * (up[i] as number));
      return add(row, project('mlp.down_proj', hidden, C));
    });
  }
  const head = config.tieWordEmbeddings ? embed : get('lm_head.weight'); // (V, C)
  const V = config.vocabSize;
  const logits = new Float64Array(x.length * V);
  x.forEach((row, t) => logits.set(linear(head, undefined, rmsNorm(row, get('model.norm.weight'), eps), V), t * V));
  return logits;
}

/** y (rows) = W (rows, cols) · x (cols) + b */
function linear(w: Vector, bias: Vector | undefined, x: Float64Array, rows: number): Float64Array {
  const cols = x.length;
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = bias ? (bias[r] as number) : 0;
    for (let c = 0; c < cols; c++) s += (w[r * cols + c] as number) * (x[c] as number);
    y[r] = s;
  }
  return y;
}

function rmsNorm(x: Float64Array, weight: Vector, eps: number): Float64Array {
  let ms = 0;
  for (const v of x) ms += v * v;
  const scale = 1 / Math.sqrt(ms / x.length + eps);
  return x.map((v, i) => v * scale * (weight[i] as number));
}

/** Qwen3: the same (D) RMSNorm weight applied to each head's slice separately. */
function perHeadRmsNorm(x: Float64Array, weight: Vector, heads: number, D: number, eps: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let h = 0; h < heads; h++) out.set(rmsNorm(x.subarray(h * D, (h + 1) * D), weight, eps), h * D);
  return out;
}

/** rotate_half RoPE: pair (i, i + D/2) of each head turns by position · invFreq[i]. */
function rope(x: Float64Array, position: number, heads: number, D: number, invFreq: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  const half = D / 2;
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < half; i++) {
      const angle = position * (invFreq[i] as number);
      const a = x[h * D + i] as number;
      const b = x[h * D + i + half] as number;
      out[h * D + i] = a * Math.cos(angle) - b * Math.sin(angle);
      out[h * D + i + half] = b * Math.cos(angle) + a * Math.sin(angle);
    }
  }
  return out;
}

/** Causal attention of query t over keys 0..t; query head h reads kv head ⌊h / (H / KVH)⌋; scale 1/√D. */
function attend(q: Float64Array, k: Float64Array[], v: Float64Array[], t: number, H: number, KVH: number, D: number) {
  const out = new Float64Array(H * D);
  const group = H / KVH;
  for (let h = 0; h < H; h++) {
    const kvh = Math.floor(h / group);
    const scores = new Float64Array(t + 1);
    for (let s = 0; s <= t; s++) {
      let dot = 0;
      for (let i = 0; i < D; i++) dot += (q[h * D + i] as number) * ((k[s] as Float64Array)[kvh * D + i] as number);
      scores[s] = dot / Math.sqrt(D);
    }
    const max = Math.max(...scores);
    const weights = scores.map((z) => Math.exp(z - max));
    const total = weights.reduce((a, b) => a + b, 0);
    for (let s = 0; s <= t; s++) {
      const weight = (weights[s] as number) / total;
      const vs = v[s] as Float64Array;
      for (let i = 0; i < D; i++) out[h * D + i] = (out[h * D + i] as number) + weight * (vs[kvh * D + i] as number);
    }
  }
  return out;
}

function add(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => v + (b[i] as number));
}

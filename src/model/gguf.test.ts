import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHAT_TEMPLATE } from './chat.ts';
import { parameterShapes, type LlamaConfig } from './config.ts';
import { exportGguf, ggufVocabulary } from './gguf.ts';
import { randomParams, testConfig } from './test-models.ts';
import { SPECIAL_TOKENS, Tokenizer, trainTokenizer } from './tokenizer.ts';

const dir = mkdtempSync(join(tmpdir(), 'eto-gguf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ---- an independent minimal GGUF v3 reader (spec: ecosystem.md §4.4) ----
interface ReadTensor { dims: bigint[]; type: number; offset: bigint }
interface ReadGguf { version: number; kv: Map<string, unknown>; types: Map<string, number>; tensors: Map<string, ReadTensor>; dataStart: number; bytes: Buffer }

function readGguf(file: string): ReadGguf {
  const bytes = readFileSync(file);
  let at = 0;
  const u32 = (): number => { const v = bytes.readUInt32LE(at); at += 4; return v; };
  const u64 = (): bigint => { const v = bytes.readBigUInt64LE(at); at += 8; return v; };
  const str = (): string => { const n = Number(u64()); const s = bytes.toString('utf8', at, at + n); at += n; return s; };
  const scalar = (type: number): unknown => {
    switch (type) {
      case 0: return bytes.readUInt8(at++);
      case 4: return u32();
      case 5: { const v = bytes.readInt32LE(at); at += 4; return v; }
      case 6: { const v = bytes.readFloatLE(at); at += 4; return v; }
      case 7: return bytes.readUInt8(at++) !== 0;
      case 8: return str();
      case 10: return u64();
      default: throw new Error(`reader: unsupported value type ${type}`);
    }
  };
  expect(bytes.toString('ascii', 0, 4)).toBe('GGUF');
  at = 4;
  const version = u32();
  const tensorCount = Number(u64());
  const kvCount = Number(u64());
  const kv = new Map<string, unknown>();
  const types = new Map<string, number>();
  for (let i = 0; i < kvCount; i++) {
    const key = str();
    const type = u32();
    types.set(key, type);
    if (type === 9) {
      const elemType = u32();
      const n = Number(u64());
      kv.set(key, Array.from({ length: n }, () => scalar(elemType)));
    } else kv.set(key, scalar(type));
  }
  const tensors = new Map<string, ReadTensor>();
  for (let i = 0; i < tensorCount; i++) {
    const name = str();
    const nd = u32();
    const dims = Array.from({ length: nd }, () => u64());
    tensors.set(name, { dims, type: u32(), offset: u64() });
  }
  const alignment = (kv.get('general.alignment') as number | undefined) ?? 32;
  const dataStart = Math.ceil(at / alignment) * alignment;
  return { version, kv, types, tensors, dataStart, bytes };
}

function tensorData(g: ReadGguf, name: string): Float32Array {
  const t = g.tensors.get(name);
  if (!t) throw new Error(`no tensor ${name}`);
  const count = t.dims.reduce((a, b) => a * Number(b), 1);
  const start = g.dataStart + Number(t.offset);
  return new Float32Array(g.bytes.buffer.slice(g.bytes.byteOffset + start, g.bytes.byteOffset + start + 4 * count));
}

/** Inverse of llama.cpp's q/k layout, written index by index: GGUF row h·hs + 2i + j came from HF row h·hs + j·hs/2 + i. */
function unpermute(w: Float32Array, rows: number, cols: number, heads: number): Float32Array {
  const hs = rows / heads;
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) {
    const h = Math.floor(r / hs);
    const within = r % hs;
    const hfRow = h * hs + (within % 2) * (hs / 2) + Math.floor(within / 2);
    for (let c = 0; c < cols; c++) out[hfRow * cols + c] = w[r * cols + c] as number;
  }
  return out;
}

const tokenizer = trainTokenizer(['the cat sat on the mat', 'the dog sat on the log', 'go to the cabinet 1'], { vocabSize: 290 });

function exportAndRead(config: LlamaConfig, name: string): { g: ReadGguf; params: Map<string, Float32Array> } {
  const params = randomParams(config, 11);
  const file = join(dir, name);
  exportGguf(file, { config, params, tokenizer });
  return { g: readGguf(file), params };
}

describe('exportGguf', () => {
  const config = testConfig({ vocabSize: tokenizer.vocabSize, hiddenSize: 64, numAttentionHeads: 2, numKeyValueHeads: 1, tieWordEmbeddings: false, bosTokenId: 0, eosTokenId: 6, padTokenId: 2 });

  it('writes v3 metadata that llama.cpp needs', () => {
    const { g } = exportAndRead(config, 'untied.gguf');
    expect(g.version).toBe(3);
    const expected: Record<string, unknown> = {
      'general.architecture': 'llama', 'general.alignment': 32, 'llama.context_length': 64, 'llama.embedding_length': 64,
      'llama.block_count': 2, 'llama.feed_forward_length': 96, 'llama.attention.head_count': 2, 'llama.attention.head_count_kv': 1,
      'llama.rope.dimension_count': 32, 'llama.vocab_size': tokenizer.vocabSize, 'tokenizer.ggml.model': 'gpt2',
      'tokenizer.ggml.pre': 'gpt-2', 'tokenizer.ggml.bos_token_id': 0, 'tokenizer.ggml.eos_token_id': 6,
      'tokenizer.ggml.padding_token_id': 2, 'tokenizer.chat_template': CHAT_TEMPLATE,
    };
    for (const [key, value] of Object.entries(expected)) expect(g.kv.get(key), key).toEqual(value);
    expect(g.kv.get('llama.rope.freq_base')).toBe(10000);
    expect(g.kv.get('llama.attention.layer_norm_rms_epsilon')).toBeCloseTo(1e-5, 10);
    expect(g.types.get('llama.context_length')).toBe(4); // u32
    expect(g.types.get('llama.rope.freq_base')).toBe(6); // f32
    expect(typeof g.kv.get('general.name')).toBe('string');
    const tokens = g.kv.get('tokenizer.ggml.tokens') as string[];
    expect(tokens).toHaveLength(tokenizer.vocabSize);
    expect(tokens.slice(0, SPECIAL_TOKENS.length)).toEqual([...SPECIAL_TOKENS]);
    expect(tokens[SPECIAL_TOKENS.length + 32]).toBe('Ġ'); // byte 0x20 in the byte-level alphabet
    const types = g.kv.get('tokenizer.ggml.token_type') as number[];
    expect(types.map((t, id) => (id < SPECIAL_TOKENS.length ? t === 3 : t === 1)).every(Boolean)).toBe(true);
    const merges = g.kv.get('tokenizer.ggml.merges') as string[];
    expect(merges).toEqual(tokenizer.merges.map(([a, b]) => `${a} ${b}`));
    // every merge's result is a token at the id our tokenizer gives it
    merges.forEach((m, rank) => expect(tokens[SPECIAL_TOKENS.length + 256 + rank]).toBe(m.replace(' ', '')));
  });

  it('writes every tensor F32 with reversed dims at aligned offsets; q/k un-permute to the HF weights', () => {
    const { g, params } = exportAndRead(config, 'untied2.gguf');
    const shapes = parameterShapes(config);
    expect(g.tensors.size).toBe(shapes.size);
    expect(g.dataStart % 32).toBe(0);
    const names: Record<string, string> = {
      'model.embed_tokens.weight': 'token_embd.weight', 'model.norm.weight': 'output_norm.weight', 'lm_head.weight': 'output.weight',
      'model.layers.1.input_layernorm.weight': 'blk.1.attn_norm.weight', 'model.layers.1.self_attn.q_proj.weight': 'blk.1.attn_q.weight',
      'model.layers.1.self_attn.k_proj.weight': 'blk.1.attn_k.weight', 'model.layers.0.self_attn.v_proj.weight': 'blk.0.attn_v.weight',
      'model.layers.0.self_attn.o_proj.weight': 'blk.0.attn_output.weight', 'model.layers.0.post_attention_layernorm.weight': 'blk.0.ffn_norm.weight',
      'model.layers.0.mlp.gate_proj.weight': 'blk.0.ffn_gate.weight', 'model.layers.0.mlp.up_proj.weight': 'blk.0.ffn_up.weight',
      'model.layers.0.mlp.down_proj.weight': 'blk.0.ffn_down.weight',
    };
    for (const [hf, gguf] of Object.entries(names)) {
      const t = g.tensors.get(gguf);
      expect(t, gguf).toBeDefined();
      expect(t!.type).toBe(0);
      expect(t!.dims.map(Number)).toEqual([...shapes.get(hf)!].reverse());
      expect(Number(t!.offset) % 32).toBe(0);
      const data = tensorData(g, gguf);
      const [rows, cols] = shapes.get(hf)!;
      if (gguf.includes('attn_q')) {
        expect(data).not.toEqual(params.get(hf));
        expect(unpermute(data, rows!, cols!, 2)).toEqual(params.get(hf));
      } else if (gguf.includes('attn_k')) {
        expect(unpermute(data, rows!, cols!, 1)).toEqual(params.get(hf));
      } else expect(data).toEqual(params.get(hf));
    }
    // tensors do not overlap and lie inside the file
    const spans = [...g.tensors.values()].map((t) => [Number(t.offset), Number(t.offset) + 4 * t.dims.reduce((a, b) => a * Number(b), 1)] as const).sort((a, b) => a[0] - b[0]);
    spans.forEach(([, end], i) => expect(end).toBeLessThanOrEqual(spans[i + 1]?.[0] ?? g.bytes.length - g.dataStart));
  });

  it('omits output.weight when the embeddings are tied', () => {
    const { g } = exportAndRead({ ...config, tieWordEmbeddings: true, numKeyValueHeads: 2 }, 'tied.gguf');
    expect(g.tensors.has('output.weight')).toBe(false);
    expect(g.tensors.has('token_embd.weight')).toBe(true);
    expect(g.kv.get('llama.attention.head_count_kv')).toBe(2);
  });

  it('keeps token strings unique: a string learned twice keeps its first id, the copy becomes an unused placeholder', () => {
    const dup = new Tokenizer(SPECIAL_TOKENS, [['a', 'b'], ['ab', 'c'], ['b', 'c'], ['a', 'bc']]);
    const base = SPECIAL_TOKENS.length + 256;
    const { tokens, types } = ggufVocabulary(dup);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(tokens.slice(base)).toEqual(['ab', 'abc', 'bc', `<|unused-${base + 3}|>`]);
    expect(types.slice(base)).toEqual([1, 1, 1, 5]);
    expect(dup.encode('abc xabc bc')).not.toContain(base + 3); // our encoder never emits the copy
    expect(dup.encode('abc')).toEqual([base + 1]);
  });
});

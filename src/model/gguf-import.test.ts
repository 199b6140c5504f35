import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { announceSkip, findPython } from '../../test/helpers/python-env.ts';
import { syntheticStrings } from '../../test/helpers/parity-corpus.ts';
import { CheckpointError } from '../errors.ts';
import { fromHfConfig } from './checkpoint.ts';
import { encodeGguf, permuteRopeRows, unpermuteRopeRows } from './gguf.ts';
import { importGguf } from './gguf-import.ts';
import { parseGguf, tensorValues } from './gguf-read.ts';
import { hfTokenizerFromGguf } from './gguf-tokenizer.ts';
import { decodeSafetensors, toBf16 } from './safetensors.ts';
import { randomParams, testConfig } from './test-models.ts';
import { trainTokenizer } from './tokenizer.ts';

const dir = mkdtempSync(join(tmpdir(), 'eto-gguf-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tokenizer = trainTokenizer(['the cat sat on the mat', 'the dog sat on the log', 'go to the cabinet 1'], {
  vocabSize: 290,
});
const config = testConfig({
  vocabSize: tokenizer.vocabSize,
  hiddenSize: 64,
  numAttentionHeads: 4,
  numKeyValueHeads: 2,
  tieWordEmbeddings: false,
  bosTokenId: 0,
  eosTokenId: 1,
  padTokenId: 2,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
});
const params = randomParams(config, 3);
const ggufBytes = encodeGguf({ config, params, tokenizer });
const ggufFile = join(dir, 'eto.gguf');
writeFileSync(ggufFile, ggufBytes);

describe('GGUF import of an eto-exported file', () => {
  it('unpermuteRopeRows undoes permuteRopeRows', () => {
    const w = Float32Array.from({ length: 4 * 8 * 3 }, (_, i) => i);
    expect(unpermuteRopeRows(permuteRopeRows(w, 4, 3), 4, 3)).toEqual(w);
    expect(permuteRopeRows(w, 4, 3)).not.toEqual(w);
  });

  it('gives back the exported config and every weight bit for bit (F32)', () => {
    const out = join(dir, 'hf');
    const summary = importGguf(ggufFile, out);
    expect(summary.sourceTypes).toEqual({ F32: params.size });
    const hfConfig = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(fromHfConfig(hfConfig, 'config.json')).toEqual(config);
    const { tensors } = decodeSafetensors(
      new Uint8Array(readFileSync(join(out, 'model.safetensors'))),
      'model.safetensors',
    );
    expect([...tensors.keys()].sort()).toEqual([...params.keys()].sort());
    for (const [name, data] of params) expect(tensors.get(name)?.data, name).toEqual(data);
  });

  it('BF16 output rounds to nearest even', () => {
    expect(Array.from(toBf16(Float32Array.of(1, 1 + 2 ** -8, 1 + 3 * 2 ** -8, -2, 1 + 2 ** -7 + 2 ** -9)))).toEqual([
      0x3f80, 0x3f80, 0x3f82, 0xc000, 0x3f81,
    ]);
    const out = join(dir, 'hf-bf16');
    importGguf(ggufFile, out, { dtype: 'BF16' });
    const header = readFileSync(join(out, 'model.safetensors'));
    const length = Number(header.readBigUInt64LE(0));
    const entries = Object.entries(
      JSON.parse(header.toString('utf8', 8, 8 + length)) as Record<string, { dtype?: string }>,
    );
    expect(entries.filter(([k]) => k !== '__metadata__').every(([, v]) => v.dtype === 'BF16')).toBe(true);
  });

  it('rebuilds the vocabulary, merges and specials as eto wrote them', () => {
    const { tokenizerJson, tokenizerConfig } = hfTokenizerFromGguf(
      parseGguf(ggufBytes, 'eto.gguf'),
      config.maxPositionEmbeddings,
    );
    const model = tokenizerJson.model as { vocab: Record<string, number>; merges: string[] };
    expect(model.merges).toEqual(tokenizer.merges.map(([a, b]) => `${a} ${b}`));
    for (const special of tokenizer.specials) expect(model.vocab[special]).toBe(tokenizer.tokenId(special));
    const added = tokenizerJson.added_tokens as { content: string; special: boolean }[];
    expect(added.map((t) => t.content)).toEqual([...tokenizer.specials]);
    expect(tokenizerJson.pre_tokenizer).toEqual({
      type: 'ByteLevel',
      add_prefix_space: false,
      trim_offsets: true,
      use_regex: true,
    });
    expect(tokenizerConfig.bos_token).toBe(tokenizer.specials[config.bosTokenId]);
  });
});

describe('GGUF import refuses what it cannot map, naming it', () => {
  it('an unknown pre-tokenizer', () => {
    const gguf = parseGguf(ggufBytes, 'eto.gguf');
    gguf.metadata.set('tokenizer.ggml.pre', 'qwen2');
    expect(() => hfTokenizerFromGguf(gguf, 64)).toThrow(CheckpointError);
    expect(() => hfTokenizerFromGguf(gguf, 64)).toThrow(/tokenizer\.ggml\.pre\) "qwen2" is not supported/);
  });

  it('a SentencePiece vocabulary', () => {
    const gguf = parseGguf(ggufBytes, 'eto.gguf');
    gguf.metadata.set('tokenizer.ggml.model', 'llama');
    expect(() => hfTokenizerFromGguf(gguf, 64)).toThrow(/tokenizer\.ggml\.model "llama" is not supported/);
  });

  it('a tensor type eto cannot dequantize', () => {
    const gguf = parseGguf(ggufBytes, 'eto.gguf');
    const info = gguf.tensors[0];
    if (!info) throw new Error('no tensors');
    info.type = 20; // IQ4_NL
    expect(() => tensorValues(gguf, info)).toThrow(
      new RegExp(`tensor ${info.name.replace(/\./g, '\\.')} has ggml type 20`),
    );
  });
});

const python = findPython(['tokenizers']);
const skipTokenizers = announceSkip('imported tokenizer.json vs eto tokenizer (HF tokenizers)', python);

describe.skipIf(skipTokenizers)('the imported tokenizer.json in HF tokenizers', () => {
  it("tokenizes 2,000 strings as eto's own tokenizer does (the gpt-2 pre-tokenizer mapping)", () => {
    if (!python.found) return;
    const out = join(dir, 'hf-tok');
    importGguf(ggufFile, out);
    const strings = syntheticStrings(2000, 11);
    const reply = JSON.parse(
      execFileSync(python.env.python, [fileURLToPath(new URL('../../python/tokenize_parity.py', import.meta.url))], {
        input: JSON.stringify({ tokenizer_json: join(out, 'tokenizer.json'), strings }),
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      }),
    ) as { tokenizers: number[][] };
    const same = (s: string, i: number): boolean =>
      JSON.stringify(tokenizer.encode(s)) === JSON.stringify(reply.tokenizers[i]);
    const differing = strings.filter((s, i) => !same(s, i));
    expect(differing.slice(0, 5)).toEqual([]);
  });
});

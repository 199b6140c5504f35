import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors.ts';
import { Rng } from '../rng.ts';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { type LlamaConfig, parameterShapes, presets } from './config.ts';
import { trainTokenizer } from './tokenizer.ts';

const root = mkdtempSync(join(tmpdir(), 'eto-ckpt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function randomCheckpoint(tie: boolean) {
  const tokenizer = trainTokenizer(['go to cabinet 1', 'take mug 1 from cabinet 1'], { vocabSize: 300 });
  const config: LlamaConfig = { ...presets.tiny, vocabSize: tokenizer.vocabSize, tieWordEmbeddings: tie, bosTokenId: 0, eosTokenId: 6, padTokenId: 2 };
  const rng = new Rng(1);
  const params = new Map<string, Float32Array>();
  for (const [name, shape] of parameterShapes(config)) {
    params.set(name, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()));
  }
  return { config, params, tokenizer };
}

describe('checkpoint directories', () => {
  it('save → load is bit-exact, tied and untied', () => {
    for (const tie of [true, false]) {
      const checkpoint = randomCheckpoint(tie);
      const dir = join(root, `model-${tie}`);
      saveCheckpoint(dir, checkpoint);
      const loaded = loadCheckpoint(dir);
      expect(loaded.config).toEqual(checkpoint.config);
      expect([...loaded.params.keys()]).toEqual([...checkpoint.params.keys()]);
      for (const [name, data] of checkpoint.params) expect(loaded.params.get(name)).toEqual(data);
      expect(loaded.tokenizer.encode('take mug 1')).toEqual(checkpoint.tokenizer.encode('take mug 1'));
    }
  });

  it('writes the Hugging Face files: config fields, safetensors header with format pt and aligned data', () => {
    const dir = join(root, 'hf');
    saveCheckpoint(dir, randomCheckpoint(true));
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'generation_config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(config.architectures).toEqual(['LlamaForCausalLM']);
    expect(config.model_type).toBe('llama');
    expect(config.head_dim).toBe(32);
    const bytes = readFileSync(join(dir, 'model.safetensors'));
    const headerLength = Number(bytes.readBigUInt64LE(0));
    expect(headerLength % 8).toBe(0);
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
    expect(header.__metadata__).toEqual({ format: 'pt' });
    expect(header['model.embed_tokens.weight'].dtype).toBe('F32');
    const last = Math.max(...Object.values(header).flatMap((e) => ((e as { data_offsets?: number[] }).data_offsets ?? [0])));
    expect(8 + headerLength + last).toBe(bytes.length);
    expect(JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')).chat_template).toContain('add_generation_prompt');
  });

  it('overwrites atomically and leaves no staging folders behind', () => {
    const dir = join(root, 'again');
    saveCheckpoint(dir, randomCheckpoint(true));
    saveCheckpoint(dir, randomCheckpoint(false));
    expect(loadCheckpoint(dir).config.tieWordEmbeddings).toBe(false);
    expect(readdirSync(root).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('names the missing or broken file', () => {
    expect(() => loadCheckpoint(join(root, 'nope'))).toThrow(/does not exist/);
    const dir = join(root, 'broken');
    saveCheckpoint(dir, randomCheckpoint(true));
    writeFileSync(join(dir, 'config.json'), '{ not json');
    expect(() => loadCheckpoint(dir)).toThrow(CheckpointError);
    expect(() => loadCheckpoint(dir)).toThrow(/config\.json/);
    rmSync(join(dir, 'model.safetensors'));
    expect(existsSync(join(dir, 'model.safetensors'))).toBe(false);
  });
});

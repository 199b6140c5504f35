// A llama GGUF file → a Hugging Face checkpoint directory (config.json, model.safetensors with HF names and
// rotate-half q/k rows, tokenizer.json, tokenizer_config.json with the chat template, generation_config.json)
// that transformers and eto's HF loader read. Quantized tensors are dequantized; nothing is re-quantized.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CheckpointError } from '../errors.ts';
import { toHfConfig } from './checkpoint.ts';
import { headDim, parameterShapes, type LlamaConfig } from './config.ts';
import { llamaConfigFromGguf } from './gguf-config.ts';
import { ggmlTypeName } from './gguf-format.ts';
import { readGguf, tensorValues, type GgufFile } from './gguf-read.ts';
import { hfTokenizerFromGguf } from './gguf-tokenizer.ts';
import { hfTensorName, unpermuteRopeRows } from './gguf.ts';
import { encodeSafetensors, type NamedTensor, type SafetensorsDtype } from './safetensors.ts';

export interface GgufImportOptions {
  /** Weight dtype in model.safetensors (F32 keeps every dequantized value exactly). */
  dtype?: SafetensorsDtype;
}

export interface GgufImportSummary {
  config: LlamaConfig;
  /** Tensor count by ggml type in the source file, e.g. { Q4_1: 210, F32: 61, Q8_0: 1 }. */
  sourceTypes: Record<string, number>;
  files: string[];
}

/** HF-named weights with HF shapes; q/k rows go back from llama.cpp's pair order to rotate-half order. */
export function hfWeightsFromGguf(gguf: GgufFile, config: LlamaConfig): Map<string, NamedTensor> {
  const expected = parameterShapes(config);
  const tensors = new Map<string, NamedTensor>();
  for (const info of gguf.tensors) {
    const name = hfTensorName(info.name);
    if (name === undefined) {
      if (info.name === 'rope_freqs.weight')
        throw new CheckpointError(`${gguf.file}: tensor rope_freqs.weight (RoPE scaling factors) is not supported`);
      continue; // e.g. llama.cpp's precomputed rope tables: HF computes these
    }
    const shape = [...info.dims].reverse();
    const want = expected.get(name);
    if (!want || want.join(',') !== shape.join(',')) {
      throw new CheckpointError(
        `${gguf.file}: tensor ${info.name} has shape ${shape.join('×')}, ` +
          `the config implies ${want?.join('×') ?? 'no such tensor'}`,
      );
    }
    let data = tensorValues(gguf, info);
    const cols = shape.at(-1) as number;
    if (name.endsWith('self_attn.q_proj.weight')) data = unpermuteRopeRows(data, config.numAttentionHeads, cols);
    if (name.endsWith('self_attn.k_proj.weight'))
      data = unpermuteRopeRows(data, (shape[0] as number) / headDim(config), cols);
    tensors.set(name, { data, shape });
  }
  const missing = [...expected.keys()].filter((name) => !tensors.has(name));
  if (missing.length > 0)
    throw new CheckpointError(
      `${gguf.file}: no tensor for ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}`,
    );
  // HF order (embeddings, layers in order, norm, head) so the file reads like any other checkpoint
  return new Map([...expected.keys()].map((name) => [name, tensors.get(name) as NamedTensor]));
}

/** Reads `file` and writes the HF directory `outDir` (built beside it, then renamed into place). */
export function importGguf(file: string, outDir: string, options: GgufImportOptions = {}): GgufImportSummary {
  const dtype = options.dtype ?? 'F32';
  const gguf = readGguf(file);
  const config = llamaConfigFromGguf(gguf);
  const tokenizer = hfTokenizerFromGguf(gguf, config.maxPositionEmbeddings);
  const weights = hfWeightsFromGguf(gguf, config);
  const sourceTypes: Record<string, number> = {};
  for (const t of gguf.tensors) {
    const type = ggmlTypeName(t.type) ?? String(t.type);
    sourceTypes[type] = (sourceTypes[type] ?? 0) + 1;
  }
  const hfConfig = { ...toHfConfig(config), torch_dtype: dtype === 'F32' ? 'float32' : 'bfloat16' };
  const files: [string, string | Uint8Array][] = [
    ['config.json', json(hfConfig)],
    ['model.safetensors', encodeSafetensors(weights, { format: 'pt', source: basename(file) }, dtype)],
    ['tokenizer.json', JSON.stringify(tokenizer.tokenizerJson)],
    ['tokenizer_config.json', json(tokenizer.tokenizerConfig)],
    [
      'generation_config.json',
      json({ bos_token_id: config.bosTokenId, eos_token_id: config.eosTokenId, pad_token_id: config.padTokenId }),
    ],
  ];
  writeDirectory(outDir, files);
  return { config, sourceTypes, files: files.map(([name]) => name) };
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function writeDirectory(dir: string, files: readonly [string, string | Uint8Array][]): void {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(dir)}.tmp-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  for (const [name, content] of files) writeFileSync(join(staging, name), content);
  const aside = join(parent, `.${basename(dir)}.old-${process.pid}`);
  if (existsSync(dir)) renameSync(dir, aside);
  renameSync(staging, dir);
  rmSync(aside, { recursive: true, force: true });
}

// Weights of a Hugging Face checkpoint directory: model.safetensors, or the shards that
// model.safetensors.index.json maps tensor names to. Each tensor is read from its file on its own (readSync at its
// offset) and widened to f32, so loading never holds a file's bytes beside the decoded weights.
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../errors.ts';
import type { NamedTensor } from './safetensors.ts';

export type StoredDtype = 'F32' | 'F16' | 'BF16';

interface TensorEntry {
  readonly file: string;
  readonly dtype: StoredDtype;
  readonly shape: number[];
  readonly begin: number; // absolute byte offset in `file`
  readonly end: number;
}

const widths: Record<StoredDtype, number> = { F32: 4, F16: 2, BF16: 2 };

/** Name → where its bytes are, across every shard of `dir` (`single`: the unsharded file's name). */
export function indexHfWeights(dir: string, single = 'model.safetensors'): Map<string, TensorEntry> {
  const indexFile = join(dir, `${single}.index.json`);
  const files = existsSync(indexFile) ? shardFiles(indexFile, dir) : [join(dir, single)];
  const entries = new Map<string, TensorEntry>();
  for (const file of files) for (const [name, entry] of readHeader(file)) entries.set(name, entry);
  return entries;
}

/** Decodes one indexed tensor to f32. */
export function readHfTensor(entry: TensorEntry): NamedTensor {
  const bytes = Buffer.alloc(entry.end - entry.begin);
  const fd = openSync(entry.file, 'r');
  try {
    readSync(fd, bytes, 0, bytes.length, entry.begin);
  } finally {
    closeSync(fd);
  }
  return { data: widen(bytes, entry.dtype), shape: entry.shape };
}

/** The stored dtypes of a checkpoint (one, for every model transformers saves). */
export function storedDtypes(entries: Map<string, TensorEntry>): Set<StoredDtype> {
  return new Set([...entries.values()].map((e) => e.dtype));
}

function shardFiles(indexFile: string, dir: string): string[] {
  let index: { weight_map?: Record<string, string> };
  try {
    index = JSON.parse(readFileSync(indexFile, 'utf8'));
  } catch {
    throw new DataError(indexFile, undefined, 'is not valid JSON');
  }
  if (!index.weight_map) throw new DataError(indexFile, undefined, 'has no weight_map');
  return [...new Set(Object.values(index.weight_map))].map((name) => join(dir, name));
}

function readHeader(file: string): Map<string, TensorEntry> {
  if (!existsSync(file)) throw new DataError(file, undefined, 'is missing (expected safetensors weights)');
  const fd = openSync(file, 'r');
  let headerText: string;
  try {
    const lengthBytes = Buffer.alloc(8);
    readSync(fd, lengthBytes, 0, 8, 0);
    const headerLength = Number(lengthBytes.readBigUInt64LE(0));
    if (headerLength > 100_000_000) {
      throw new DataError(file, undefined, `header length ${headerLength} is implausible`);
    }
    const headerBytes = Buffer.alloc(headerLength);
    readSync(fd, headerBytes, 0, headerLength, 8);
    headerText = headerBytes.toString('utf8');
  } finally {
    closeSync(fd);
  }
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  try {
    header = JSON.parse(headerText);
  } catch {
    throw new DataError(file, undefined, 'safetensors header is not valid JSON');
  }
  const dataStart = 8 + Buffer.byteLength(headerText);
  const entries = new Map<string, TensorEntry>();
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const dtype = raw.dtype as StoredDtype;
    if (!(dtype in widths)) {
      throw new DataError(file, undefined, `tensor ${name} has dtype ${raw.dtype} (F32/F16/BF16 only)`);
    }
    const [begin, end] = raw.data_offsets;
    if (end - begin !== raw.shape.reduce((a, b) => a * b, 1) * widths[dtype]) {
      throw new DataError(file, undefined, `tensor ${name} offsets [${begin}, ${end}] do not fit its shape`);
    }
    entries.set(name, { file, dtype, shape: raw.shape, begin: dataStart + begin, end: dataStart + end });
  }
  return entries;
}

function widen(bytes: Buffer, dtype: StoredDtype): Float32Array {
  if (dtype === 'F32') return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4).slice();
  const halves = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  const out = new Float32Array(halves.length);
  if (dtype === 'BF16') {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < halves.length; i++) bits[i] = (halves[i] as number) << 16; // bf16 = the top half of f32
    return out;
  }
  for (let i = 0; i < halves.length; i++) out[i] = halfToFloat(halves[i] as number);
  return out;
}

/** IEEE binary16 bits → number (subnormals, inf and NaN included). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

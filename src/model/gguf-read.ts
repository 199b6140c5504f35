// GGUF v2/v3 reader: the metadata key/values and the tensor directory of a file, and each tensor's values
// as f32 (dequantized by gguf-dequant.ts). It reads only; mapping to a model is gguf-import.ts's job.
import { readFileSync } from 'node:fs';
import { CheckpointError } from '../errors.ts';
import { dequantize } from './gguf-dequant.ts';
import { GGML_BLOCK, GGUF_ALIGNMENT, GGUF_MAGIC, ggmlTypeName, GgufValueType } from './gguf-format.ts';

export type GgufValue = number | bigint | boolean | string | readonly GgufValue[];

export interface GgufTensorInfo {
  name: string;
  /** ggml order: dims[0] (ne0) is the fastest-varying, i.e. the columns of a matrix. */
  dims: number[];
  type: number;
  /** Absolute byte offset of the data in the file. */
  offset: number;
}

export interface GgufFile {
  file: string;
  version: number;
  metadata: Map<string, GgufValue>;
  tensors: GgufTensorInfo[];
  bytes: Uint8Array;
}

/** Sequential little-endian reads with bounds checks that name the file. */
class ByteReader {
  private readonly view: DataView;
  at = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number): number {
    if (this.at + n > this.bytes.length)
      throw new CheckpointError(`${this.file}: GGUF header ends early at byte ${this.at}`);
    const start = this.at;
    this.at += n;
    return start;
  }
  u8(): number {
    return this.view.getUint8(this.need(1));
  }
  i8(): number {
    return this.view.getInt8(this.need(1));
  }
  u16(): number {
    return this.view.getUint16(this.need(2), true);
  }
  i16(): number {
    return this.view.getInt16(this.need(2), true);
  }
  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }
  i32(): number {
    return this.view.getInt32(this.need(4), true);
  }
  f32(): number {
    return this.view.getFloat32(this.need(4), true);
  }
  f64(): number {
    return this.view.getFloat64(this.need(8), true);
  }
  u64(): bigint {
    return this.view.getBigUint64(this.need(8), true);
  }
  i64(): bigint {
    return this.view.getBigInt64(this.need(8), true);
  }
  /** A u64 that must fit a JS number (counts, offsets, lengths). */
  size(): number {
    const value = this.u64();
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new CheckpointError(`${this.file}: size ${value} is too large`);
    return Number(value);
  }
  string(): string {
    const length = this.size();
    const start = this.need(length);
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, length).toString('utf8');
  }
}

function readValue(r: ByteReader, type: number, file: string): GgufValue {
  const T = GgufValueType;
  switch (type) {
    case T.UINT8:
      return r.u8();
    case T.INT8:
      return r.i8();
    case T.UINT16:
      return r.u16();
    case T.INT16:
      return r.i16();
    case T.UINT32:
      return r.u32();
    case T.INT32:
      return r.i32();
    case T.FLOAT32:
      return r.f32();
    case T.FLOAT64:
      return r.f64();
    case T.UINT64:
      return r.u64();
    case T.INT64:
      return r.i64();
    case T.BOOL:
      return r.u8() !== 0;
    case T.STRING:
      return r.string();
    case T.ARRAY: {
      const itemType = r.u32();
      const length = r.size();
      const items: GgufValue[] = new Array(length);
      for (let i = 0; i < length; i++) items[i] = readValue(r, itemType, file);
      return items;
    }
    default:
      throw new CheckpointError(`${file}: unknown GGUF metadata value type ${type}`);
  }
}

/** Parses the header and tensor directory of a GGUF file held in memory. */
export function parseGguf(bytes: Uint8Array, file: string): GgufFile {
  const r = new ByteReader(bytes, file);
  if (bytes.length < 4 || r.u32() !== GGUF_MAGIC)
    throw new CheckpointError(`${file}: not a GGUF file (no "GGUF" magic)`);
  const version = r.u32();
  if (version !== 2 && version !== 3)
    throw new CheckpointError(`${file}: GGUF version ${version}; eto reads versions 2 and 3`);
  const tensorCount = r.size();
  const kvCount = r.size();
  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = r.string();
    metadata.set(key, readValue(r, r.u32(), file));
  }
  const relative: GgufTensorInfo[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = r.string();
    const nDims = r.u32();
    const dims = Array.from({ length: nDims }, () => r.size());
    relative.push({ name, dims, type: r.u32(), offset: r.size() });
  }
  const alignment = metadata.get('general.alignment') ?? GGUF_ALIGNMENT;
  if (typeof alignment !== 'number' || alignment <= 0)
    throw new CheckpointError(`${file}: bad general.alignment ${String(alignment)}`);
  const dataStart = Math.ceil(r.at / alignment) * alignment;
  const tensors = relative.map((t) => ({ ...t, offset: dataStart + t.offset }));
  return { file, version, metadata, tensors, bytes };
}

export function readGguf(file: string): GgufFile {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new CheckpointError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return parseGguf(bytes, file);
}

export function elementCount(info: GgufTensorInfo): number {
  return info.dims.reduce((a, b) => a * b, 1);
}

/** A tensor's values as f32, in ggml order (row-major with dims reversed). */
export function tensorValues(gguf: GgufFile, info: GgufTensorInfo): Float32Array {
  const typeName = ggmlTypeName(info.type);
  if (!typeName) {
    throw new CheckpointError(
      `${gguf.file}: tensor ${info.name} has ggml type ${info.type}, which eto cannot dequantize ` +
        `(supported: ${Object.keys(GGML_BLOCK).join(', ')})`,
    );
  }
  const count = elementCount(info);
  const block = GGML_BLOCK[typeName];
  if (count % block.values !== 0)
    throw new CheckpointError(`${gguf.file}: tensor ${info.name} has ${count} values, not whole ${typeName} blocks`);
  const byteLength = (count / block.values) * block.bytes;
  if (info.offset + byteLength > gguf.bytes.length)
    throw new CheckpointError(`${gguf.file}: tensor ${info.name} runs past the end of the file`);
  return dequantize(typeName, gguf.bytes.subarray(info.offset, info.offset + byteLength), count);
}

/** A metadata value of the expected kind, or a CheckpointError naming the key. */
export function metaNumber(gguf: GgufFile, key: string): number;
export function metaNumber(gguf: GgufFile, key: string, fallback: number | undefined): number | undefined;
export function metaNumber(gguf: GgufFile, key: string, ...fallback: [number | undefined] | []): number | undefined {
  const value = gguf.metadata.get(key);
  if (value === undefined && fallback.length > 0) return fallback[0];
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'number')
    throw new CheckpointError(`${gguf.file}: metadata ${key} must be a number, got ${describe(value)}`);
  return value;
}

export function metaString(gguf: GgufFile, key: string): string {
  const value = gguf.metadata.get(key);
  if (typeof value !== 'string')
    throw new CheckpointError(`${gguf.file}: metadata ${key} must be a string, got ${describe(value)}`);
  return value;
}

export function metaArray(gguf: GgufFile, key: string): readonly GgufValue[] {
  const value = gguf.metadata.get(key);
  if (!Array.isArray(value))
    throw new CheckpointError(`${gguf.file}: metadata ${key} must be an array, got ${describe(value)}`);
  return value;
}

function describe(value: GgufValue | undefined): string {
  if (value === undefined) return 'nothing (the key is missing)';
  return Array.isArray(value) ? `an array of ${value.length}` : JSON.stringify(String(value)).slice(0, 60);
}

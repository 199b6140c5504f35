// safetensors files (F32; BF16 on write): 8-byte little-endian header length, JSON header with dtype/shape/offsets
// and `__metadata__`, then the raw little-endian tensor bytes in header order.
import { CheckpointError } from '../errors.ts';

export interface NamedTensor {
  data: Float32Array;
  shape: number[];
}

export type SafetensorsDtype = 'F32' | 'BF16';

/** f32 → bfloat16 bits, rounding to nearest even (as torch's .to(torch.bfloat16)); NaN stays a quiet NaN. */
export function toBf16(data: Float32Array): Uint16Array {
  const bits = new Uint32Array(data.buffer, data.byteOffset, data.length);
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const b = bits[i] as number;
    out[i] = (b & 0x7fffffff) > 0x7f800000 ? (b >>> 16) | 0x40 : (b + 0x7fff + ((b >>> 16) & 1)) >>> 16;
  }
  return out;
}

export function encodeSafetensors(
  tensors: Map<string, NamedTensor>,
  metadata: Record<string, string>,
  dtype: SafetensorsDtype = 'F32',
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const width = dtype === 'F32' ? 4 : 2;
  let offset = 0;
  for (const [name, { data, shape }] of tensors) {
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== data.length) throw new CheckpointError(`tensor ${name}: shape ${shape.join('×')} does not match ${data.length} values`);
    header[name] = { dtype, shape, data_offsets: [offset, offset + data.length * width] };
    offset += data.length * width;
  }
  let headerText = JSON.stringify(header);
  headerText += ' '.repeat((8 - (Buffer.byteLength(headerText) % 8)) % 8); // data starts 8-byte aligned
  const headerBytes = Buffer.from(headerText, 'utf8');
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const { data } of tensors.values()) {
    const stored = dtype === 'F32' ? data : toBf16(data);
    out.set(new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength), at); // host is little-endian
    at += stored.byteLength;
  }
  return out;
}

export function decodeSafetensors(bytes: Uint8Array, file: string): { tensors: Map<string, NamedTensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new CheckpointError(`${file}: too short to be a safetensors file`);
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  if (8 + headerLength > bytes.length) throw new CheckpointError(`${file}: header length ${headerLength} exceeds the file`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString('utf8'));
  } catch {
    throw new CheckpointError(`${file}: header is not valid JSON`);
  }
  const dataStart = 8 + headerLength;
  const tensors = new Map<string, NamedTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets: [begin, end] } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (dtype !== 'F32') throw new CheckpointError(`${file}: tensor ${name} has dtype ${dtype}; only F32 is supported`);
    if (dataStart + end > bytes.length || end - begin !== shape.reduce((a, b) => a * b, 1) * 4) {
      throw new CheckpointError(`${file}: tensor ${name} offsets [${begin}, ${end}] do not fit its shape or the file`);
    }
    const copy = new Uint8Array(end - begin);
    copy.set(bytes.subarray(dataStart + begin, dataStart + end));
    tensors.set(name, { data: new Float32Array(copy.buffer), shape });
  }
  return { tensors, metadata };
}

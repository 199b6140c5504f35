// Saving an imported model in the layout it came in: config.json (the source's fields, dtype updated) and
// model.safetensors with HF names, in F32, F16 or BF16. The directory is built beside the target and renamed into
// place, so a crash leaves the old directory or the new one, never half of one.
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataError } from '../errors.ts';
import { hfParameterShapes, type HfModel } from './hf-checkpoint.ts';
import type { StoredDtype } from './hf-weights.ts';
import { toBf16 } from './safetensors.ts';

const torchNames: Record<StoredDtype, string> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16' };

/**
 * Writes `model` to `dir` (replacing it) with every tensor stored as `dtype` (default: the source's); `withFiles`
 * (tokenizer files of the source) are copied in before the directory appears, so a checkpoint is never half there.
 */
export function saveHfModel(dir: string, model: HfModel, dtype: StoredDtype = model.storedDtype,
  withFiles: readonly string[] = []): void {
  const tensors: [string, number[], Uint8Array][] = [];
  for (const [name, shape] of hfParameterShapes(model.config)) {
    const data = model.params.get(name);
    if (!data) throw new DataError(dir, undefined, `cannot save: parameter ${name} is missing`);
    tensors.push([name, shape, storedBytes(data, dtype)]);
  }
  const { torch_dtype: _, ...rest } = model.configJson;
  const configJson = { ...rest, dtype: torchNames[dtype] };
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(dir)}.tmp-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  writeFileSync(join(staging, 'config.json'), `${JSON.stringify(configJson, null, 2)}\n`);
  writeFileSync(join(staging, 'model.safetensors'), safetensorsBytes(tensors, dtype));
  for (const file of withFiles) copyFileSync(file, join(staging, basename(file)));
  const aside = join(parent, `.${basename(dir)}.old-${process.pid}`);
  if (existsSync(dir)) renameSync(dir, aside);
  renameSync(staging, dir);
  rmSync(aside, { recursive: true, force: true });
}

function storedBytes(data: Float32Array, dtype: StoredDtype): Uint8Array {
  const stored = dtype === 'F32' ? data : dtype === 'BF16' ? toBf16(data) : toF16(data);
  return new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength); // host is little-endian
}

function safetensorsBytes(tensors: [string, number[], Uint8Array][], dtype: StoredDtype): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const [name, shape, bytes] of tensors) {
    header[name] = { dtype, shape, data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
  }
  let headerText = JSON.stringify(header);
  headerText += ' '.repeat((8 - (Buffer.byteLength(headerText) % 8)) % 8); // data starts 8-byte aligned
  const headerBytes = Buffer.from(headerText, 'utf8');
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const [, , bytes] of tensors) {
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/** f32 → IEEE binary16 bits, rounding to nearest even as torch's .to(torch.float16); overflow → ±inf. */
export function toF16(data: Float32Array): Uint16Array {
  const bits = new Uint32Array(data.buffer, data.byteOffset, data.length);
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const b = bits[i] as number;
    const sign = (b >>> 16) & 0x8000;
    const exponent = (b >>> 23) & 0xff;
    const mantissa = b & 0x7fffff;
    if (exponent === 0xff) {
      out[i] = sign | 0x7c00 | (mantissa ? 0x200 : 0);
      continue;
    }
    const e = exponent - 127 + 15; // rebias
    if (e >= 0x1f) out[i] = sign | 0x7c00;
    else if (e <= 0) {
      if (e < -10) {
        out[i] = sign; // below half the smallest subnormal
        continue;
      }
      const m = mantissa | 0x800000; // implicit bit; shift into the subnormal range
      const shift = 14 - e;
      const half = 1 << (shift - 1);
      const rest = m & ((1 << shift) - 1);
      let h = m >>> shift;
      if (rest > half || (rest === half && (h & 1) === 1)) h += 1;
      out[i] = sign | h;
    } else {
      let h = (e << 10) | (mantissa >>> 13);
      const rest = mantissa & 0x1fff;
      if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h += 1; // may carry into the exponent: correct
      out[i] = sign | h;
    }
  }
  return out;
}

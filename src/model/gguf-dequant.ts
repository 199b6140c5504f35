// ggml block formats → f32, value for value what gguf-py's gguf.quants.dequantize computes: every product and
// sum is rounded to f32 in the same order (a Float32Array store rounds; a product of an f16 and a small integer
// is exact in f64), so the results are bit-identical. Quantizing is not done here.
import type { GgmlTypeName } from './gguf-format.ts';
import { GGML_BLOCK } from './gguf-format.ts';

const f32 = Math.fround;

/** IEEE half (binary16) bits → its exact value. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1024 + mantissa) * 2 ** (exponent - 25);
}

const half = (b: Uint8Array, at: number): number => halfToFloat((b[at] as number) | ((b[at + 1] as number) << 8));

/** Q4_K/Q5_K's 12 bytes of packed 6-bit scales and mins → 8 of each (gguf-py Q4_K.get_scale_min). */
function scaleMin(b: Uint8Array, at: number, scales: number[], mins: number[]): void {
  for (let i = 0; i < 4; i++) {
    const d = b[at + i] as number;
    const m = b[at + 4 + i] as number;
    const md = b[at + 8 + i] as number;
    scales[i] = d & 0x3f;
    scales[i + 4] = (md & 0x0f) | ((d >> 2) & 0x30);
    mins[i] = m & 0x3f;
    mins[i + 4] = (md >> 4) | ((m >> 2) & 0x30);
  }
}

type BlockDecoder = (b: Uint8Array, at: number, out: Float32Array, o: number) => void;

const scratchScales: number[] = new Array(8).fill(0);
const scratchMins: number[] = new Array(8).fill(0);

const decoders: Record<Exclude<GgmlTypeName, 'F32' | 'F16' | 'BF16'>, BlockDecoder> = {
  // [d f16][qs 16]: value j is nibble j%16 (low nibbles first), minus 8
  Q4_0(b, at, out, o) {
    const d = half(b, at);
    for (let j = 0; j < 16; j++) {
      const q = b[at + 2 + j] as number;
      out[o + j] = d * ((q & 0x0f) - 8);
      out[o + j + 16] = d * ((q >> 4) - 8);
    }
  },
  // [d f16][m f16][qs 16]: d·q + m
  Q4_1(b, at, out, o) {
    const d = half(b, at);
    const m = half(b, at + 2);
    for (let j = 0; j < 16; j++) {
      const q = b[at + 4 + j] as number;
      out[o + j] = f32(d * (q & 0x0f)) + m;
      out[o + j + 16] = f32(d * (q >> 4)) + m;
    }
  },
  // [d f16][qh u32][qs 16]: bit j of qh is the fifth bit of value j, minus 16
  Q5_0(b, at, out, o) {
    const d = half(b, at);
    const qh = new DataView(b.buffer, b.byteOffset + at + 2, 4).getUint32(0, true);
    for (let j = 0; j < 16; j++) {
      const q = b[at + 6 + j] as number;
      out[o + j] = d * (((q & 0x0f) | (((qh >>> j) & 1) << 4)) - 16);
      out[o + j + 16] = d * (((q >> 4) | (((qh >>> (j + 16)) & 1) << 4)) - 16);
    }
  },
  // [d f16][m f16][qh u32][qs 16]: d·q + m
  Q5_1(b, at, out, o) {
    const d = half(b, at);
    const m = half(b, at + 2);
    const qh = new DataView(b.buffer, b.byteOffset + at + 4, 4).getUint32(0, true);
    for (let j = 0; j < 16; j++) {
      const q = b[at + 8 + j] as number;
      out[o + j] = f32(d * ((q & 0x0f) | (((qh >>> j) & 1) << 4))) + m;
      out[o + j + 16] = f32(d * ((q >> 4) | (((qh >>> (j + 16)) & 1) << 4))) + m;
    }
  },
  // [d f16][qs i8 32]: d·q
  Q8_0(b, at, out, o) {
    const d = half(b, at);
    for (let j = 0; j < 32; j++) out[o + j] = d * (((b[at + 2 + j] as number) << 24) >> 24);
  },
  // [d f16][dmin f16][scales 12][qs 128]: 8 sub-blocks of 32; sub-block 2c+s reads the s-th nibble of bytes 32c..
  Q4_K(b, at, out, o) {
    const d = half(b, at);
    const dmin = half(b, at + 2);
    scaleMin(b, at + 4, scratchScales, scratchMins);
    for (let k = 0; k < 8; k++) {
      const dk = f32(d * (scratchScales[k] as number));
      const mk = f32(dmin * (scratchMins[k] as number));
      const base = at + 16 + (k >> 1) * 32;
      const shift = (k & 1) * 4;
      for (let i = 0; i < 32; i++) out[o + k * 32 + i] = f32(dk * (((b[base + i] as number) >> shift) & 0x0f)) - mk;
    }
  },
  // [d f16][dmin f16][scales 12][qh 32][qs 128]: as Q4_K, with bit k of qh[i] as the fifth bit of sub-block k
  Q5_K(b, at, out, o) {
    const d = half(b, at);
    const dmin = half(b, at + 2);
    scaleMin(b, at + 4, scratchScales, scratchMins);
    for (let k = 0; k < 8; k++) {
      const dk = f32(d * (scratchScales[k] as number));
      const mk = f32(dmin * (scratchMins[k] as number));
      const base = at + 48 + (k >> 1) * 32;
      const shift = (k & 1) * 4;
      for (let i = 0; i < 32; i++) {
        const q = (((b[base + i] as number) >> shift) & 0x0f) | ((((b[at + 16 + i] as number) >> k) & 1) << 4);
        out[o + k * 32 + i] = f32(dk * q) - mk;
      }
    }
  },
  // [ql 128][qh 64][scales i8 16][d f16]: two halves of 128; value n uses scale n/16
  Q6_K(b, at, out, o) {
    const d = half(b, at + 208);
    for (let n = 0; n < 256; n++) {
      const h = n >> 7;
      const r = n & 127;
      const low = ((b[at + h * 64 + (r & 63)] as number) >> ((r >> 6) * 4)) & 0x0f;
      const high = ((b[at + 128 + h * 32 + (r & 31)] as number) >> ((r >> 5) * 2)) & 0x03;
      const scale = ((b[at + 192 + (n >> 4)] as number) << 24) >> 24;
      out[o + n] = f32(d * scale) * ((low | (high << 4)) - 32);
    }
  },
};

/** `count` values of type `type` stored in `bytes` → f32. */
export function dequantize(type: GgmlTypeName, bytes: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count);
  if (type === 'F32') {
    new Uint8Array(out.buffer).set(bytes.subarray(0, count * 4)); // host is little-endian
    return out;
  }
  if (type === 'F16' || type === 'BF16') {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) {
      const word = (bytes[2 * i] as number) | ((bytes[2 * i + 1] as number) << 8);
      if (type === 'BF16') bits[i] = word << 16;
      else out[i] = halfToFloat(word);
    }
    return out;
  }
  const { values, bytes: blockBytes } = GGML_BLOCK[type];
  const decode = decoders[type];
  for (let blk = 0; blk < count / values; blk++) decode(bytes, blk * blockBytes, out, blk * values);
  return out;
}

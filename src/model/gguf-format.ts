// GGUF v3 constants shared by the exporter (gguf.ts) and the reader (gguf-read.ts): metadata value types,
// ggml tensor types with their block layout, and token types. Layout: specs/ecosystem.md §4.4.

export const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
export const GGUF_VERSION = 3;
export const GGUF_ALIGNMENT = 32;

/** Metadata value type tags. */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;

/** ggml tensor types eto reads (and, for F32, writes); the numbers are ggml's. */
export const GgmlType = {
  F32: 0,
  F16: 1,
  Q4_0: 2,
  Q4_1: 3,
  Q5_0: 6,
  Q5_1: 7,
  Q8_0: 8,
  Q4_K: 12,
  Q5_K: 13,
  Q6_K: 14,
  BF16: 30,
} as const;
export type GgmlTypeName = keyof typeof GgmlType;

/** Values per block and bytes per block (ggml's GGML_QUANT_SIZES; K-quants use super-blocks of 256). */
export const GGML_BLOCK: Record<GgmlTypeName, { values: number; bytes: number }> = {
  F32: { values: 1, bytes: 4 },
  F16: { values: 1, bytes: 2 },
  BF16: { values: 1, bytes: 2 },
  Q4_0: { values: 32, bytes: 2 + 16 },
  Q4_1: { values: 32, bytes: 2 + 2 + 16 },
  Q5_0: { values: 32, bytes: 2 + 4 + 16 },
  Q5_1: { values: 32, bytes: 2 + 2 + 4 + 16 },
  Q8_0: { values: 32, bytes: 2 + 32 },
  Q4_K: { values: 256, bytes: 2 + 2 + 12 + 128 },
  Q5_K: { values: 256, bytes: 2 + 2 + 12 + 32 + 128 },
  Q6_K: { values: 256, bytes: 128 + 64 + 16 + 2 },
};

/** The name of a ggml type number, or undefined when eto cannot read it. */
export function ggmlTypeName(type: number): GgmlTypeName | undefined {
  return (Object.keys(GgmlType) as GgmlTypeName[]).find((name) => GgmlType[name] === type);
}

/** tokenizer.ggml.token_type values (llama.cpp's llama_token_type). */
export const GgufTokenType = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;

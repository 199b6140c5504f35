// Public API of src/tokenizer/: Hugging Face tokenizer.json support and the interface eto's callers use.
export { loadHfTokenizer } from './load.ts';
export { HfTokenizer, type DecodeOptions, type EncodeOptions } from './hf-tokenizer.ts';
export type { SpecialTokenIds, TextTokenizer } from './types.ts';
export { BYTE_TO_CHAR, CHAR_TO_BYTE, bytesToChars } from './byte-alphabet.ts';

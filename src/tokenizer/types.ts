// What the rest of eto needs from a tokenizer: eto's own byte-level BPE (src/model/tokenizer.ts) and a
// Hugging Face tokenizer.json loaded by hf-tokenizer.ts both satisfy it, so callers take either.

export interface TextTokenizer {
  /** Number of ids (the embedding rows a model needs): one more than the largest id. */
  readonly vocabSize: number;
  /** Ids of `text`; without options no special tokens are added (eto builds its own chat framing). */
  encode(text: string): number[];
  decode(ids: ArrayLike<number>): string;
  /** Id of a named special token such as `<|end|>`; throws ConfigError when there is none. */
  tokenId(token: string): number;
}

/** Ids of the roles tokenizer_config.json names (bos_token, eos_token, pad_token, unk_token). */
export interface SpecialTokenIds {
  bos?: number;
  eos?: number;
  pad?: number;
  unk?: number;
}

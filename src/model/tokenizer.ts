// Byte-level BPE tokenizer: trained here on a corpus, saved and loaded as Hugging Face tokenizer.json
// (ByteLevel pre-tokenizer and decoder, BPE model with vocab and merges, special tokens as added_tokens).
// Ids: special tokens first, then the 256 byte characters, then one token per merge.
import { ConfigError } from '../errors.ts';
import type { TextTokenizer } from '../tokenizer/types.ts';
import { BYTE_TO_CHAR, CHAR_TO_BYTE, preTokenize } from './byte-level.ts';

/** Special tokens every eto tokenizer has, in id order. The chat template uses the role and end tokens. */
export const SPECIAL_TOKENS = ['<|bos|>', '<|eos|>', '<|pad|>', '<|system|>', '<|user|>', '<|assistant|>', '<|end|>'] as const;

/** eto's own tokenizer; HfTokenizer (src/tokenizer/) implements the same TextTokenizer for imported models. */
export class Tokenizer implements TextTokenizer {
  readonly vocabSize: number;
  private readonly tokenToId = new Map<string, number>();
  private readonly idToToken: string[];
  private readonly mergeRank = new Map<string, number>();
  private readonly specialIds = new Map<string, number>();
  private readonly specialPattern: RegExp;
  private readonly wordCache = new Map<string, number[]>();

  constructor(readonly specials: readonly string[], readonly merges: readonly (readonly [string, string])[]) {
    this.idToToken = [...specials, ...BYTE_TO_CHAR, ...merges.map(([a, b]) => a + b)];
    this.idToToken.forEach((token, id) => {
      if (!this.tokenToId.has(token)) this.tokenToId.set(token, id);
    });
    specials.forEach((token, id) => this.specialIds.set(token, id));
    merges.forEach(([a, b], rank) => this.mergeRank.set(`${a} ${b}`, rank));
    this.vocabSize = this.idToToken.length;
    this.specialPattern = specialTokenPattern(specials, true);
  }

  /** Id of a special token such as `<|end|>`. */
  tokenId(token: string): number {
    const id = this.specialIds.get(token);
    if (id === undefined) throw new ConfigError('tokenizer', `no special token ${token}`);
    return id;
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    for (const part of text.split(this.specialPattern)) {
      if (part === '') continue;
      const special = this.specialIds.get(part);
      if (special !== undefined) ids.push(special);
      else for (const word of preTokenize(part)) ids.push(...this.encodeWord(word));
    }
    return ids;
  }

  decode(ids: ArrayLike<number>): string {
    const bytes: number[] = [];
    let text = '';
    const flush = (): void => {
      if (bytes.length === 0) return;
      text += new TextDecoder().decode(Uint8Array.from(bytes));
      bytes.length = 0;
    };
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      const token = this.idToToken[id];
      if (token === undefined) throw new RangeError(`token id ${id} outside the vocabulary (${this.vocabSize})`);
      if (id < this.specials.length) {
        flush();
        text += token;
        continue;
      }
      for (const ch of token) bytes.push(CHAR_TO_BYTE.get(ch) as number);
    }
    flush();
    return text;
  }

  /** BPE on one pre-token: repeatedly merge the adjacent pair with the lowest rank. */
  private encodeWord(word: string): number[] {
    const cached = this.wordCache.get(word);
    if (cached) return cached;
    let symbols = Array.from(word);
    for (;;) {
      let bestRank = Infinity;
      let bestAt = -1;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const rank = this.mergeRank.get(`${symbols[i]} ${symbols[i + 1]}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          bestAt = i;
        }
      }
      if (bestAt < 0) break;
      const merged = (symbols[bestAt] as string) + (symbols[bestAt + 1] as string);
      symbols = [...symbols.slice(0, bestAt), merged, ...symbols.slice(bestAt + 2)];
    }
    const ids = symbols.map((s) => this.tokenToId.get(s) as number);
    if (this.wordCache.size < 100_000) this.wordCache.set(word, ids);
    return ids;
  }

  /** The Hugging Face tokenizer.json object. */
  toJSON(): object {
    const vocab: Record<string, number> = {};
    this.idToToken.forEach((token, id) => {
      if (id >= this.specials.length && vocab[token] === undefined) vocab[token] = id;
    });
    const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: this.specials.map((content, id) => ({
        id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
      })),
      normalizer: null,
      pre_tokenizer: byteLevel,
      post_processor: null,
      decoder: byteLevel,
      model: {
        type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null,
        fuse_unk: false, byte_fallback: false, ignore_merges: false,
        vocab,
        merges: this.merges.map(([a, b]) => `${a} ${b}`),
      },
    };
  }

  static fromJSON(json: unknown): Tokenizer {
    const j = json as { added_tokens?: { id: number; content: string }[]; model?: { type?: string; merges?: (string | string[])[] } };
    if (!j?.model || j.model.type !== 'BPE' || !Array.isArray(j.model.merges) || !Array.isArray(j.added_tokens)) {
      throw new ConfigError('tokenizer.json', 'expected a BPE model with merges and added_tokens');
    }
    const specials = [...j.added_tokens].sort((a, b) => a.id - b.id).map((t) => t.content);
    const merges = j.model.merges.map((m) => {
      const [a, b] = typeof m === 'string' ? m.split(' ') : m;
      if (a === undefined || b === undefined) throw new ConfigError('tokenizer.json', `bad merge ${JSON.stringify(m)}`);
      return [a, b] as const;
    });
    return new Tokenizer(specials, merges);
  }
}

/** Matches any of the special tokens; with `keep`, split() keeps them as parts of their own. */
function specialTokenPattern(specials: readonly string[], keep: boolean): RegExp {
  const alternatives = specials.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return new RegExp(keep ? `(${alternatives})` : `(?:${alternatives})`);
}

/**
 * Learns merges by repeatedly joining the most frequent adjacent pair over the corpus' pre-tokens
 * (ties broken by the pair's text, so training is deterministic) until the vocabulary is full.
 */
export function trainTokenizer(corpus: Iterable<string>, options: { vocabSize: number }): Tokenizer {
  const mergeCount = options.vocabSize - SPECIAL_TOKENS.length - 256;
  if (mergeCount < 0) {
    throw new ConfigError('vocabSize', `must be at least ${SPECIAL_TOKENS.length + 256}, got ${options.vocabSize}`);
  }
  const wordFreq = new Map<string, number>();
  const specials = specialTokenPattern(SPECIAL_TOKENS, false); // no merge spans a special token
  for (const text of corpus) {
    for (const part of text.split(specials)) {
      for (const word of preTokenize(part)) wordFreq.set(word, (wordFreq.get(word) ?? 0) + 1);
    }
  }
  const words = [...wordFreq.entries()].map(([word, freq]) => ({ symbols: Array.from(word), freq }));
  const merges: [string, string][] = [];
  while (merges.length < mergeCount) {
    const pairFreq = new Map<string, number>();
    for (const { symbols, freq } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]} ${symbols[i + 1]}`;
        pairFreq.set(key, (pairFreq.get(key) ?? 0) + freq);
      }
    }
    let best = '';
    let bestFreq = 0;
    for (const [key, freq] of pairFreq) {
      if (freq > bestFreq || (freq === bestFreq && key < best)) {
        best = key;
        bestFreq = freq;
      }
    }
    if (bestFreq < 2) break; // nothing left worth merging: a smaller vocabulary
    const [a, b] = best.split(' ') as [string, string];
    merges.push([a, b]);
    const joined = a + b;
    for (const word of words) {
      const s = word.symbols;
      for (let i = 0; i + 1 < s.length; i++) {
        if (s[i] === a && s[i + 1] === b) s.splice(i, 2, joined);
      }
    }
  }
  return new Tokenizer(SPECIAL_TOKENS, merges);
}

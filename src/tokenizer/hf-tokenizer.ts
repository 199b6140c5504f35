// A Hugging Face tokenizer.json as one object: added tokens → normalizer → pre-tokenizer → BPE model →
// post-processor for encode, and id → token → decoder for decode, matching the `tokenizers` library.
// Reading files is load.ts; this file takes parsed JSON.
import { ConfigError } from '../errors.ts';
import { AddedTokenMatcher } from './added-tokens.ts';
import { buildModel, type BpeModel } from './bpe.ts';
import { buildDecoder, type Decode } from './decoders.ts';
import { buildNormalizer, type Normalize } from './normalizers.ts';
import { buildPostProcessor, type PostProcess } from './post-processor.ts';
import { buildPreTokenizer, type PreTokenize } from './pre-tokenizers.ts';
import { parseWith, tokenizerJsonSchema } from './schema.ts';
import type { SpecialTokenIds, TextTokenizer } from './types.ts';

export interface EncodeOptions {
  /** Apply the post-processor (e.g. Llama-2's BOS). Default false, unlike HF, to match eto's Tokenizer. */
  addSpecialTokens?: boolean;
}

export interface DecodeOptions {
  /** Leave out tokens marked special in added_tokens. Default false. */
  skipSpecialTokens?: boolean;
}

export class HfTokenizer implements TextTokenizer {
  readonly vocabSize: number;
  private readonly idToTokenTable: (string | undefined)[] = [];
  private readonly addedIds = new Map<string, number>();
  private readonly specialIdSet = new Set<number>();
  private readonly rawMatcher: AddedTokenMatcher;
  private readonly normalizedMatcher: AddedTokenMatcher;

  private constructor(
    private readonly normalize: Normalize,
    private readonly preTokenize: PreTokenize,
    private readonly model: BpeModel,
    private readonly postProcess: PostProcess,
    private readonly decoder: Decode,
    json: ReturnType<typeof parseTokenizerJson>,
    readonly specialIds: SpecialTokenIds,
  ) {
    for (const [token, id] of model.vocab) this.idToTokenTable[id] = token;
    json.added_tokens.forEach((added, i) => {
      // HF re-derives such ids from the vocabulary, so a file that disagrees would encode differently there
      const inVocab = model.vocab.get(added.content);
      if (inVocab !== undefined && inVocab !== added.id) {
        const why = `${added.id}, but the vocabulary gives ${added.content} id ${inVocab}`;
        throw new ConfigError(`tokenizer.json: added_tokens[${i}].id`, why);
      }
      this.idToTokenTable[added.id] = added.content;
      this.addedIds.set(added.content, added.id);
      if (added.special) this.specialIdSet.add(added.id);
    });
    this.vocabSize = this.idToTokenTable.length;
    // normalized=false tokens are found in the raw text, normalized=true ones after normalization
    this.rawMatcher = new AddedTokenMatcher(json.added_tokens.filter((t) => !t.normalized));
    this.normalizedMatcher = new AddedTokenMatcher(json.added_tokens.filter((t) => t.normalized));
  }

  /** Builds the pipeline; `config` is tokenizer_config.json (for the bos/eos/pad/unk roles), when there is one. */
  static fromJSON(json: unknown, config?: unknown): HfTokenizer {
    const parsed = parseTokenizerJson(json);
    const model = buildModel(parsed.model);
    const lookup = (token: string): number | undefined =>
      parsed.added_tokens.find((t) => t.content === token)?.id ?? model.vocab.get(token);
    return new HfTokenizer(
      buildNormalizer(parsed.normalizer),
      buildPreTokenizer(parsed.pre_tokenizer),
      model,
      buildPostProcessor(parsed.post_processor),
      buildDecoder(parsed.decoder),
      parsed,
      specialIdsFromConfig(config, lookup),
    );
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const ids: number[] = [];
    for (const segment of this.rawMatcher.split(text)) {
      if ('addedId' in segment) {
        ids.push(segment.addedId);
        continue;
      }
      for (const part of this.normalizedMatcher.split(this.normalize(segment.text), segment.offset)) {
        if ('addedId' in part) ids.push(part.addedId);
        else {
          const pieces = this.preTokenize([{ text: part.text, atStart: segment.offset === 0 && part.offset === 0 }]);
          for (const piece of pieces) ids.push(...this.model.tokenize(piece.text));
        }
      }
    }
    return options.addSpecialTokens ? this.postProcess(ids) : ids;
  }

  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    const tokens: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      const token = this.idToTokenTable[id];
      if (token === undefined) throw new RangeError(`token id ${id} outside the vocabulary (${this.vocabSize})`);
      if (!(options.skipSpecialTokens && this.specialIdSet.has(id))) tokens.push(token);
    }
    return this.decoder(tokens).join('');
  }

  tokenToId(token: string): number | undefined {
    return this.addedIds.get(token) ?? this.model.vocab.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.idToTokenTable[id];
  }

  tokenId(token: string): number {
    const id = this.tokenToId(token);
    if (id === undefined) throw new ConfigError('tokenizer', `no token ${token}`);
    return id;
  }

  /** Whether `id` is an added token marked special (BOS, EOS, chat markers). */
  isSpecial(id: number): boolean {
    return this.specialIdSet.has(id);
  }
}

function parseTokenizerJson(json: unknown) {
  return parseWith(tokenizerJsonSchema, json, 'tokenizer.json');
}

/** bos/eos/pad/unk from tokenizer_config.json, whose entries are strings or AddedToken objects. */
function specialIdsFromConfig(config: unknown, lookup: (token: string) => number | undefined): SpecialTokenIds {
  const out: SpecialTokenIds = {};
  if (config === null || typeof config !== 'object') return out;
  const entries = config as Record<string, unknown>;
  for (const role of ['bos', 'eos', 'pad', 'unk'] as const) {
    const value = entries[`${role}_token`];
    const content = typeof value === 'string' ? value : (value as { content?: unknown } | null)?.content;
    if (typeof content !== 'string') continue;
    const id = lookup(content);
    if (id === undefined) throw new ConfigError(`tokenizer_config.json: ${role}_token`, `${content} is not a token`);
    out[role] = id;
  }
  return out;
}

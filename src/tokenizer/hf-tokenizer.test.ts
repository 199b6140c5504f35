// Component behaviour against hand-computed expectations (the split examples are those HF documents for
// SplitDelimiterBehavior), one-line errors for unknown components, and eto's own tokenizer.json read back.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { trainTokenizer } from '../model/tokenizer.ts';
import { HfTokenizer } from './hf-tokenizer.ts';
import { loadHfTokenizer } from './load.ts';
import { oniguruma } from './regex.ts';
import { splitBy } from './split.ts';

describe('splitBy', () => {
  const text = 'the-final--countdown';
  const dash = /-/gu;
  it.each([
    ['Removed', ['the', 'final', 'countdown']],
    ['Isolated', ['the', '-', 'final', '-', '-', 'countdown']],
    ['MergedWithPrevious', ['the-', 'final-', '-', 'countdown']],
    ['MergedWithNext', ['the', '-final', '-', '-countdown']],
    ['Contiguous', ['the', '-', 'final', '--', 'countdown']],
  ] as const)('%s', (behavior, expected) => {
    expect(splitBy(text, dash, behavior)).toEqual(expected);
  });
  it('invert swaps matches and the text between them', () => {
    expect(splitBy('ab12cd', /\p{L}+/gu, 'Removed', true)).toEqual(['ab', 'cd']);
  });
});

describe('oniguruma patterns', () => {
  it('maps (?i:...) to case classes, including ſ for s', () => {
    const regex = oniguruma("(?i:'s|'ll)", 'test');
    expect("'S 'ſ 'Ll 'x".match(regex)).toEqual(["'S", "'ſ", "'Ll"]);
  });
  it('gives \\s the Unicode White_Space set (U+0085 in, U+FEFF out)', () => {
    const regex = oniguruma('\\s+', 'test');
    expect('a\u0085b\ufeffc d'.match(regex)).toEqual(['\u0085', ' ']);
  });
  it('refuses what it cannot map, naming the construct', () => {
    expect(() => oniguruma('a++', 'pre_tokenizer.pattern')).toThrow(/possessive quantifiers/);
  });
});

const minimal = (overrides: Record<string, unknown>): Record<string, unknown> => ({
  added_tokens: [],
  normalizer: null,
  pre_tokenizer: null,
  post_processor: null,
  decoder: null,
  model: { type: 'BPE', vocab: { a: 0, b: 1, ab: 2 }, merges: ['a b'] },
  ...overrides,
});

describe('unknown or inconsistent components give one-line errors naming them', () => {
  it.each([
    [{ normalizer: { type: 'BertNormalizer' } }, /^normalizer: "BertNormalizer" is not supported/],
    [
      { pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Digits' }, { type: 'Whitespace' }] } },
      /^pre_tokenizer\.pretokenizers\[1\]: "Whitespace" is not supported/,
    ],
    [{ model: { type: 'Unigram', vocab: [] } }, /^model: "Unigram" is not supported \(eto reads BPE\)/],
    [{ decoder: { type: 'WordPiece' } }, /^decoder: "WordPiece" is not supported/],
    [{ post_processor: { type: 'RobertaProcessing' } }, /^post_processor: "RobertaProcessing" is not supported/],
    [{ model: { type: 'BPE', vocab: { a: 0 }, merges: ['a c'] } }, /^model\.merges\[0\]: "a c" names a token/],
    [{ added_tokens: [{ id: 5, content: 'ab' }] }, /added_tokens\[0\]\.id: 5, but the vocabulary gives ab id 2/],
  ])('%j', (overrides, message) => {
    const error = (() => {
      try {
        HfTokenizer.fromJSON(minimal(overrides));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toMatch(message);
    expect(String((error as Error).message)).not.toContain('\n');
  });
});

describe('BPE model options', () => {
  const vocab = { '<unk>': 0, '<0xC3>': 1, '<0xA9>': 2, a: 3, b: 4, ab: 5, abab: 6 };
  it('merges lowest rank first; byte_fallback spells unknown characters as <0xHH>', () => {
    const tok = HfTokenizer.fromJSON(
      minimal({ model: { type: 'BPE', vocab, merges: ['a b', 'ab ab'], byte_fallback: true, unk_token: '<unk>' } }),
    );
    expect(tok.encode('ababaé')).toEqual([6, 3, 1, 2]); // abab + a + é as bytes C3 A9
  });
  it('fuse_unk joins consecutive unknown characters into one <unk>', () => {
    const model = { type: 'BPE', vocab, merges: [], unk_token: '<unk>', fuse_unk: true };
    const tok = HfTokenizer.fromJSON(minimal({ model }));
    expect(tok.encode('axyb')).toEqual([3, 0, 4]);
  });
  it('ignore_merges keeps a piece that is itself a token whole', () => {
    const vocabulary = { a: 0, b: 1, c: 2, bc: 3, abc: 4, ab: 5 };
    const merges = ['b c', 'a b'];
    const plain = HfTokenizer.fromJSON(minimal({ model: { type: 'BPE', vocab: vocabulary, merges } }));
    const model = { type: 'BPE', vocab: vocabulary, merges, ignore_merges: true };
    const whole = HfTokenizer.fromJSON(minimal({ model }));
    expect(plain.encode('abc')).toEqual([0, 3]); // b c merges first, and no merge makes abc
    expect(whole.encode('abc')).toEqual([4]);
  });
});

describe("eto's own byte-level tokenizer, written as tokenizer.json and read back", () => {
  const corpus = ['go to the cabinet 1', 'take apple 2 from fridge 1', 'Thought: I need a mug.\nAction: look'];
  const own = trainTokenizer(corpus, { vocabSize: 400 });
  const dir = mkdtempSync(join(tmpdir(), 'eto-tok-'));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(own.toJSON()));
  const loaded = loadHfTokenizer(dir);
  rmSync(dir, { recursive: true, force: true });
  const texts = [...corpus, 'unseen wörds 🙂 <|end|> and <|assistant|>\n  spaces', '<|bos|>x<|eos|>'];
  it('encodes and decodes exactly as Tokenizer does', () => {
    for (const text of texts) {
      expect(loaded.encode(text)).toEqual(own.encode(text));
      expect(loaded.decode(own.encode(text))).toEqual(own.decode(own.encode(text)));
    }
    expect(loaded.vocabSize).toBe(own.vocabSize);
    expect(loaded.tokenId('<|end|>')).toBe(own.tokenId('<|end|>'));
  });
  it('names the file in load errors', () => {
    expect(() => loadHfTokenizer(join(dir, 'missing'))).toThrow(/missing: no such file or directory/);
  });
});

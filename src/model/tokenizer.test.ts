import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.ts';
import { BYTE_TO_CHAR } from './byte-level.ts';
import { SPECIAL_TOKENS, Tokenizer, trainTokenizer } from './tokenizer.ts';

const corpus = [
  'You are in the middle of a room. Looking quickly around you, you see a cabinet 1, a cabinet 2, and a fridge 1.',
  'Thought: I need to find a mug. Action: go to cabinet 1',
  'Observation: On the cabinet 1, you see a mug 2, and a plate 1.',
  'Ünïcödé text — with emoji 🙂 and 漢字 too',
];

function randomUnicode(rng: Rng, length: number): string {
  const ranges: [number, number][] = [[0x20, 0x7e], [0x00, 0x1f], [0xa0, 0x2ff], [0x4e00, 0x4eff], [0x1f600, 0x1f64f]];
  let out = '';
  for (let i = 0; i < length; i++) {
    const [lo, hi] = rng.pick(ranges);
    out += String.fromCodePoint(lo + rng.int(hi - lo + 1));
  }
  return out;
}

describe('byte-level BPE tokenizer', () => {
  const tokenizer = trainTokenizer(corpus, { vocabSize: 400 });

  it('maps all 256 bytes to distinct printable characters (GPT-2 table: space → Ġ, newline → Ċ)', () => {
    expect(new Set(BYTE_TO_CHAR).size).toBe(256);
    expect(BYTE_TO_CHAR[0x20]).toBe('Ġ');
    expect(BYTE_TO_CHAR[0x0a]).toBe('Ċ');
    expect(BYTE_TO_CHAR[0x41]).toBe('A');
  });

  it('round-trips random Unicode and strings built from random bytes', () => {
    const rng = new Rng(5);
    for (let i = 0; i < 200; i++) {
      const text = randomUnicode(rng, rng.int(60));
      expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
    }
    for (let i = 0; i < 100; i++) {
      const bytes = Uint8Array.from({ length: rng.int(40) }, () => rng.int(256));
      const text = new TextDecoder().decode(bytes); // invalid sequences become U+FFFD, still a valid string
      expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
    }
  });

  it('encode(decode(ids)) returns canonical encodings unchanged', () => {
    const rng = new Rng(6);
    for (let i = 0; i < 100; i++) {
      const ids = tokenizer.encode(randomUnicode(rng, 30));
      expect(tokenizer.encode(tokenizer.decode(ids))).toEqual(ids);
    }
  });

  it('learns the most frequent pair first (hand-checked on a tiny corpus)', () => {
    // pre-tokens: "ab" ×3 ("ab", " ab" → Ġab twice) → pairs: a b ×3, Ġ a ×2
    const small = trainTokenizer(['ab ab ab'], { vocabSize: SPECIAL_TOKENS.length + 256 + 1 });
    expect(small.merges).toEqual([['a', 'b']]);
    expect(small.encode('ab')).toEqual([SPECIAL_TOKENS.length + 256]);
  });

  it('compresses the training text and keeps special tokens whole', () => {
    const text = corpus[0] as string;
    const trained = trainTokenizer(Array.from({ length: 5 }, () => corpus).flat(), { vocabSize: 400 });
    expect(trained.encode(text).length).toBeLessThan(new TextEncoder().encode(text).length / 2);
    const end = tokenizer.tokenId('<|end|>');
    expect(tokenizer.encode('hi<|end|>')).toContain(end);
    expect(tokenizer.decode([end])).toBe('<|end|>');
  });

  it('is deterministic and survives tokenizer.json', () => {
    const again = trainTokenizer(corpus, { vocabSize: 400 });
    expect(again.merges).toEqual(tokenizer.merges);
    const loaded = Tokenizer.fromJSON(JSON.parse(JSON.stringify(tokenizer.toJSON())));
    const rng = new Rng(9);
    for (let i = 0; i < 50; i++) {
      const text = randomUnicode(rng, 40);
      expect(loaded.encode(text)).toEqual(tokenizer.encode(text));
    }
    const json = tokenizer.toJSON() as { model: { vocab: Record<string, number>; merges: string[] }; pre_tokenizer: { type: string } };
    expect(json.pre_tokenizer.type).toBe('ByteLevel');
    expect(Object.keys(json.model.vocab).length + SPECIAL_TOKENS.length).toBe(tokenizer.vocabSize);
  });
});

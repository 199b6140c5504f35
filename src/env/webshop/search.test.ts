import { describe, expect, it } from 'vitest';
import { analyze, Bm25Index, documentText, optionText, quantizeLength } from './search.ts';
import type { Product } from './types.ts';

describe('analyze', () => {
  it('lowercases, drops Lucene English stop words, removes possessives and Porter-stems', () => {
    expect(analyze('The Running Shoes for Men')).toEqual(['run', 'shoe', 'men']);
    expect(analyze("Women's long-lasting perfume")).toEqual(['women', 'long', 'last', 'perfum']);
  });

  it('keeps numbers with dots and words with apostrophes whole', () => {
    expect(analyze("6.76 fl oz l'eau d'issey")).toEqual(['6.76', 'fl', 'oz', "l'eau", "d'issey"]);
  });
});

describe('quantizeLength (Lucene SmallFloat norms)', () => {
  it('keeps lengths below 24 and rounds larger ones down', () => {
    for (let n = 0; n < 24; n++) expect(quantizeLength(n)).toBe(n);
    // 100 - 24 = 76 → int4 33 → 72; 24 + 72 = 96 (hand-computed)
    expect(quantizeLength(100)).toBe(96);
    let previous = 0;
    for (let n = 1; n < 5000; n++) {
      const q = quantizeLength(n);
      expect(q).toBeLessThanOrEqual(n);
      expect(q).toBeGreaterThanOrEqual(previous);
      previous = q;
    }
  });
});

describe('Bm25Index', () => {
  const docs = ['red running shoe', 'blue running shoe with laces', 'red dress', 'green tea bags', 'red red red apple'];

  // plain BM25 written out independently over the analysed tokens (all lengths < 24, so no quantisation)
  function reference(query: string): { index: number; score: number }[] {
    const tokenized = docs.map(analyze);
    const avg = tokenized.reduce((s, t) => s + t.length, 0) / tokenized.length;
    const scores = tokenized.map((tokens) => {
      let score = 0;
      for (const term of analyze(query)) {
        const n = tokenized.filter((t) => t.includes(term)).length;
        const f = tokens.filter((t) => t === term).length;
        if (f === 0) continue;
        const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
        score += (idf * f) / (f + 0.9 * (1 - 0.4 + (0.4 * tokens.length) / avg));
      }
      return score;
    });
    return scores
      .map((score, index) => ({ index, score }))
      .filter((h) => h.score > 0)
      .sort((a, b) => b.score - a.score || a.index - b.index);
  }

  it('ranks like a direct BM25 (k1 0.9, b 0.4) computation', () => {
    const index = new Bm25Index(docs);
    for (const query of ['red shoe', 'running', 'red', 'tea', 'laces shoes', 'nothing here']) {
      const got = index.search(query);
      const want = reference(query);
      expect(got.map((h) => h.index)).toEqual(want.map((h) => h.index));
      got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]!.score, 12));
    }
  });

  it('breaks ties by document order and cuts at the limit', () => {
    const index = new Bm25Index(['cat', 'dog', 'cat', 'cat']);
    expect(index.search('cat').map((h) => h.index)).toEqual([0, 2, 3]);
    expect(index.search('cat', 2).map((h) => h.index)).toEqual([0, 2]);
  });
});

describe('document text', () => {
  const product: Product = {
    asin: 'B0', name: 'Tee', description: 'Soft.', bulletPoints: ['Cotton', 'Second'], attributes: [], pricing: [1],
    productCategory: '', category: 'fashion', query: 'tee', options: { size: ['s', 'm', 'l'], color: ['red', 'blue'] },
  };
  it('joins title, description, first bullet and option text as convert_product_file_format does', () => {
    expect(optionText(product.options)).toBe('size: s, m, l, and color: red, blue');
    expect(documentText(product)).toBe('tee soft. cotton size: s, m, l, and color: red, blue');
  });
});

// BM25 search as WebShop's Pyserini index ranks products: one document per product (title, description,
// first bullet, option text), Lucene's English analysis approximated (standard-ish tokens, lowercase, the
// 33 stop words, possessive removal, Porter stems), k1 0.9, b 0.4, lengths quantised like Lucene's norms.
import { stemmer } from 'stemmer';
import type { Product } from './types.ts';

const STOP_WORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not', 'of',
  'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was', 'will', 'with',
]);

const stemCache = new Map<string, string>();

/** Lowercase word/number tokens (`6.76`, `l'eau` stay whole), stop words dropped, `'s` removed, stemmed. */
export function analyze(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}]+(?:['’.][\p{L}\p{N}]+)*/gu)) {
    let token = match[0].replace(/’/g, "'");
    if (token.endsWith("'s")) token = token.slice(0, -2);
    pushToken(token, out);
  }
  return out;
}

function pushToken(token: string, out: string[]): void {
  if (token.length === 0 || STOP_WORDS.has(token)) return;
  let stem = stemCache.get(token);
  if (stem === undefined) {
    stem = /[\p{N}'.]/u.test(token) ? token : stemmer(token);
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(token, stem);
  }
  out.push(stem);
}

/** `size: a, b, and color: x, y` as convert_product_file_format.py writes it. */
export function optionText(options: Record<string, string[]>): string {
  return Object.entries(options)
    .map(([name, values]) => `${name}: ${values.join(', ')}`)
    .join(', and ');
}

export function documentText(product: Product): string {
  return `${product.name} ${product.description} ${product.bulletPoints[0] ?? ''} ${optionText(product.options)}`.toLowerCase();
}

// Lucene's SmallFloat.intToByte4 / byte4ToInt: norms keep lengths below 24 exactly and round larger ones down.
function longToInt4(value: number): number {
  const bits = 32 - Math.clz32(value);
  if (bits < 4) return value;
  const shift = bits - 4;
  return ((value >>> shift) & 0x07) | ((shift + 1) << 3);
}
function int4ToLong(encoded: number): number {
  const bits = encoded & 0x07;
  const shift = (encoded >>> 3) - 1;
  return shift === -1 ? bits : (bits | 0x08) * 2 ** shift;
}
const FREE_VALUES = 255 - longToInt4(0x7fffffff);
export function quantizeLength(length: number): number {
  if (length < FREE_VALUES) return length;
  return FREE_VALUES + int4ToLong(longToInt4(length - FREE_VALUES));
}

export interface SearchHit {
  index: number;
  score: number;
}

/** An inverted index over a product list; documents keep the product order (ties break by it). */
export class Bm25Index {
  private readonly postings = new Map<string, { docs: number[]; freqs: number[] }>();
  private readonly lengths: Float64Array;
  private readonly averageLength: number;
  readonly size: number;

  constructor(texts: readonly string[], readonly k1 = 0.9, readonly b = 0.4) {
    this.size = texts.length;
    this.lengths = new Float64Array(texts.length);
    let totalTokens = 0;
    texts.forEach((text, doc) => {
      const counts = new Map<string, number>();
      const tokens = analyze(text);
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
      for (const [term, freq] of counts) {
        let list = this.postings.get(term);
        if (!list) this.postings.set(term, (list = { docs: [], freqs: [] }));
        list.docs.push(doc);
        list.freqs.push(freq);
      }
      this.lengths[doc] = quantizeLength(tokens.length);
      totalTokens += tokens.length;
    });
    this.averageLength = texts.length > 0 ? totalTokens / texts.length : 1;
  }

  /** Top `limit` documents by BM25, best first, ties by document order; documents with no query term are left out. */
  search(query: string, limit = 50): SearchHit[] {
    const scores = new Float64Array(this.size);
    const touched: number[] = [];
    for (const term of analyze(query)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (this.size - list.docs.length + 0.5) / (list.docs.length + 0.5));
      for (let i = 0; i < list.docs.length; i++) {
        const doc = list.docs[i]!;
        const freq = list.freqs[i]!;
        const norm = this.k1 * (1 - this.b + (this.b * this.lengths[doc]!) / this.averageLength);
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += (idf * freq) / (freq + norm);
      }
    }
    // cut at the limit-th best score (a typed sort is cheap), then order the few survivors
    let cutoff = -Infinity;
    if (touched.length > limit) {
      const values = Float64Array.from(touched, (doc) => scores[doc]!).sort();
      cutoff = values[values.length - limit]!;
    }
    const hits: SearchHit[] = [];
    for (const index of touched) if (scores[index]! >= cutoff) hits.push({ index, score: scores[index]! });
    hits.sort((x, y) => y.score - x.score || x.index - y.index);
    return hits.slice(0, limit);
  }
}

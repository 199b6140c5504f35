// Tokenizer parity (issue 16, Done-when 2): eto's tokenizer.json pipeline against two independent
// implementations, @huggingface/tokenizers (pure JS) and, when a Python with it is found, the `tokenizers`
// library (Rust), on ≥ 10,000 strings per tokenizer; plus decode(encode(s)) round trips.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer as OracleTokenizer } from '@huggingface/tokenizers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHfTokenizer, type HfTokenizer } from '../../src/tokenizer/index.ts';
import { parityStrings } from '../helpers/parity-corpus.ts';
import { announceSkip, findPython } from '../helpers/python-env.ts';
import { FLAG_STRINGS, randomUnicodeStrings, tokenizerVariants } from './variants.ts';

const work = mkdtempSync(join(tmpdir(), 'eto-tok-parity-'));
const variants = tokenizerVariants(work);
const python = findPython(['tokenizers']);
const skipPython = announceSkip('tokenizer parity against the Rust tokenizers library', python);

let strings: string[] = [];
const eto = new Map<string, HfTokenizer>();
let rust: Record<string, { plain: number[][]; special: number[][]; decoded: string[] }> = {};

beforeAll(async () => {
  strings = [...(await parityStrings(40, 10_000)), ...randomUnicodeStrings(1_000), ...FLAG_STRINGS];
  for (const variant of variants) eto.set(variant.name, loadHfTokenizer(variant.dir));
  if (python.found) {
    const request = {
      tokenizers: Object.fromEntries(variants.map((v) => [v.name, join(v.dir, 'tokenizer.json')])),
      strings,
    };
    const script = fileURLToPath(new URL('../../python/hf_tokenizer_parity.py', import.meta.url));
    const out = execFileSync(python.env.python, [script], { input: JSON.stringify(request), maxBuffer: 1 << 28 });
    rust = JSON.parse(out.toString('utf8'));
  }
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The first few strings where `got` and `want` differ, shown with both id lists. */
function mismatches(got: (s: string, i: number) => unknown, want: (s: string, i: number) => unknown): unknown[] {
  const out: unknown[] = [];
  strings.forEach((s, i) => {
    const [a, b] = [got(s, i), want(s, i)];
    if (out.length < 5 && JSON.stringify(a) !== JSON.stringify(b)) out.push({ string: s, eto: a, reference: b });
  });
  return out;
}

describe.each(variants)('tokenizer $name', (variant) => {
  const tok = (): HfTokenizer => eto.get(variant.name) as HfTokenizer;

  const departs = variant.jsOracleDeparts;
  if (departs) console.warn(`[skipped] ${variant.name} vs @huggingface/tokenizers: ${departs}`);
  it.skipIf(departs !== undefined)('ids equal @huggingface/tokenizers (JS) with and without special tokens', () => {
    const json = JSON.parse(readFileSync(join(variant.dir, 'tokenizer.json'), 'utf8'));
    const oracle = new OracleTokenizer(json, {});
    for (const addSpecialTokens of [false, true]) {
      const bad = mismatches(
        (s) => tok().encode(s, { addSpecialTokens }),
        (s) => oracle.encode(s, { add_special_tokens: addSpecialTokens }).ids,
      );
      expect(bad).toEqual([]);
    }
    console.log(`[tokenizer parity] ${variant.name}: ${strings.length} strings equal @huggingface/tokenizers`);
  });

  it.skipIf(skipPython)('ids and decoded text equal the Rust tokenizers library (Python)', () => {
    const reference = rust[variant.name];
    if (!reference) throw new Error(`no Python output for ${variant.name}`);
    expect(mismatches((s) => tok().encode(s), (_, i) => reference.plain[i])).toEqual([]);
    expect(mismatches((s) => tok().encode(s, { addSpecialTokens: true }), (_, i) => reference.special[i])).toEqual([]);
    const decoded = mismatches((_, i) => tok().decode(reference.plain[i] as number[]), (_, i) => reference.decoded[i]);
    expect(decoded).toEqual([]);
    console.log(`[tokenizer parity] ${variant.name}: ${strings.length} strings equal Rust tokenizers (ids, decode)`);
  });

  it(`decode(encode(s)) round-trips (${variant.roundTrip.note})`, () => {
    const { expected, note } = variant.roundTrip;
    const checked = strings.filter((s) => expected(s) !== undefined);
    const bad = checked.filter((s) => tok().decode(tok().encode(s)) !== expected(s));
    expect(bad.slice(0, 5)).toEqual([]);
    console.log(`[tokenizer parity] ${variant.name}: ${checked.length} strings round-trip (${note})`);
  });
});

it('the corpus has ≥ 10,000 strings', () => {
  expect(strings.length).toBeGreaterThanOrEqual(10_000);
  writeFileSync(join(work, 'count'), String(strings.length));
});

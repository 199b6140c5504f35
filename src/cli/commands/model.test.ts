import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../data/schemas.ts';
import { loadCheckpoint } from '../../model/checkpoint.ts';
import { presets } from '../../model/config.ts';
import { referenceLogits, referenceTokenLogProbs } from '../../model/reference.ts';
import { runMainCaptured } from '../run-main-captured.ts';

const dir = mkdtempSync(join(tmpdir(), 'eto-model-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const modelDir = join(dir, 'tiny');

const eto = runMainCaptured;

const jsonLines = <T>(text: string): T[] => text.trim().split('\n').map((l) => JSON.parse(l) as T);

const conversations: Message[][] = [
  [
    { role: 'user', content: 'You are in the middle of a room. Your task is to: put a clean apple in the fridge.' },
    { role: 'assistant', content: 'Thought: I need an apple first.\nAction: go to countertop 1' },
    { role: 'user', content: 'Observation: On the countertop 1, you see a apple 1.' },
    { role: 'assistant', content: 'Action: take apple 1 from countertop 1' },
  ],
  [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'go to the desk 2' }],
  [{ role: 'user', content: 'héllo 🙂' }, { role: 'assistant', content: '' }],
];
const inputFile = join(dir, 'in.jsonl');

beforeAll(async () => {
  const corpus = join(dir, 'corpus.txt');
  writeFileSync(corpus, `${conversations.flat().map((m) => m.content).join('\n')}\ngo to the cabinet 1\ntake the apple from the fridge\n`);
  writeFileSync(inputFile, `${conversations.map((messages) => JSON.stringify({ messages })).join('\n\n')}\n`);
  const { code, err } = await eto('model', 'init', '--out', modelDir, '--preset', 'tiny', '--seed', '5', '--corpus', corpus, '--threads', '1');
  expect(err).toMatch(/tiny/);
  expect(code).toBe(0);
});

/** Expected ids and mask, built message by message from the template's text pieces. */
function expectedChat(messages: Message[]): { ids: number[]; mask: number[] } {
  const { tokenizer } = loadCheckpoint(modelDir);
  const ids = [tokenizer.tokenId('<|bos|>')];
  const mask = [0];
  for (const m of messages) {
    const body = [...tokenizer.encode(m.content), tokenizer.tokenId('<|end|>')];
    ids.push(tokenizer.tokenId(`<|${m.role}|>`), ...body);
    mask.push(0, ...body.map(() => (m.role === 'assistant' ? 1 : 0)));
  }
  return { ids, mask };
}

describe('eto model', () => {
  it('init writes a tiny checkpoint whose config matches its tokenizer', () => {
    const { config, tokenizer } = loadCheckpoint(modelDir);
    expect(config.vocabSize).toBe(tokenizer.vocabSize);
    expect(config.vocabSize).toBeLessThanOrEqual(presets.tiny.vocabSize);
    expect(config.hiddenSize).toBe(presets.tiny.hiddenSize);
    expect([config.bosTokenId, config.eosTokenId, config.padTokenId]).toEqual([tokenizer.tokenId('<|bos|>'), tokenizer.tokenId('<|end|>'), tokenizer.tokenId('<|pad|>')]);
    expect(tokenizer.encode('go to the cabinet 1').length).toBeLessThan('go to the cabinet 1'.length); // merges were learned
  });

  it('init with the built-in corpus and the same seed gives the same weights; it refuses a non-checkpoint --out', async () => {
    const a = join(dir, 'builtin-a');
    const b = join(dir, 'builtin-b');
    expect((await eto('model', 'init', '--out', a, '--preset', 'tiny', '--seed', '9', '--threads', '1')).code).toBe(0);
    expect((await eto('model', 'init', '--out', b, '--preset', 'tiny', '--seed', '9', '--threads', '1')).code).toBe(0);
    expect(readFileSync(join(a, 'model.safetensors'))).toEqual(readFileSync(join(b, 'model.safetensors')));
    expect(loadCheckpoint(a).tokenizer.vocabSize).toBe(presets.tiny.vocabSize);
    const occupied = join(dir, 'occupied');
    mkdirSync(occupied);
    writeFileSync(join(occupied, 'notes.txt'), 'keep me');
    const { code, err } = await eto('model', 'init', '--out', occupied, '--preset', 'tiny');
    expect(code).toBe(2);
    expect(err).toMatch(/^eto: --out: .*not a model checkpoint/);
    expect(readFileSync(join(occupied, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('score: ids and assistant mask as the template says, log-prob = Σ reference log-probs over the mask', async () => {
    const { code, out } = await eto('model', 'score', '--model', modelDir, '--input', inputFile, '--threads', '1');
    expect(code).toBe(0);
    const rows = jsonLines<{ logprob: number; tokens: number; ids: number[]; mask: number[] }>(out);
    expect(rows).toHaveLength(conversations.length);
    const { config, params } = loadCheckpoint(modelDir);
    rows.forEach((row, i) => {
      const expected = expectedChat(conversations[i]!);
      expect(row.ids).toEqual(expected.ids);
      expect(row.mask).toEqual(expected.mask);
      expect(row.tokens).toBe(expected.mask.reduce((a, b) => a + b, 0));
      const reference = referenceTokenLogProbs(config, params, row.ids);
      const sum = row.mask.reduce((acc, m, t) => acc + m * (reference[t] as number), 0);
      if (row.tokens === 0) expect(row.logprob).toBe(0);
      else expect(Math.abs(row.logprob - sum)).toBeLessThan(1e-3 * Math.abs(sum));
    });
    expect(rows[1]!.tokens).toBe(0);
    expect(rows[2]!.tokens).toBe(1); // an empty assistant message still scores its <|end|>

    const outFile = join(dir, 'scores.jsonl');
    expect((await eto('model', 'score', '--model', modelDir, '--input', inputFile, '--out', outFile, '--threads', '1')).code).toBe(0);
    expect(readFileSync(outFile, 'utf8')).toBe(out);
  });

  it('generate: greedy equals the argmax continuation of the reference; --n and the seed are reproducible', async () => {
    const greedy = await eto('model', 'generate', '--model', modelDir, '--input', inputFile, '--temperature', '0', '--n', '2', '--max-new-tokens', '12', '--threads', '1');
    expect(greedy.code).toBe(0);
    const rows = jsonLines<{ index: number; sample: number; content: string; ids: number[]; finish_reason: string; messages: Message[] }>(greedy.out);
    expect(rows.map((r) => [r.index, r.sample])).toEqual([[0, 0], [0, 1], [1, 0], [1, 1], [2, 0], [2, 1]]);
    const { config, params, tokenizer } = loadCheckpoint(modelDir);
    const end = tokenizer.tokenId('<|end|>');
    for (const row of rows) {
      const messages = conversations[row.index]!;
      const ids = [...expectedChat(messages).ids, tokenizer.tokenId('<|assistant|>')];
      const continuation: number[] = [];
      while (continuation.length < 12) {
        const logits = referenceLogits(config, params, ids).subarray((ids.length - 1) * config.vocabSize);
        const next = logits.indexOf(Math.max(...logits));
        if (next === end) break;
        ids.push(next);
        continuation.push(next);
      }
      expect(row.ids).toEqual(continuation);
      expect(row.content).toBe(tokenizer.decode(continuation));
      expect(row.finish_reason).toBe(continuation.length === 12 ? 'length' : 'stop');
      expect(row.messages).toEqual([...messages, { role: 'assistant', content: row.content }]);
    }

    const sample = (seed: string) => eto('model', 'generate', '--model', modelDir, '--input', inputFile, '--n', '3', '--seed', seed, '--max-new-tokens', '8', '--threads', '1');
    const [a, b, c] = [await sample('4'), await sample('4'), await sample('5')];
    expect(a.code).toBe(0);
    expect(b.out).toBe(a.out);
    expect(c.out).not.toBe(a.out);
    const samples = jsonLines<{ ids: number[] }>(a.out);
    expect(samples).toHaveLength(9);
    expect(new Set(samples.slice(0, 3).map((s) => s.ids.join(','))).size).toBeGreaterThan(1); // the n samples differ
  });

  it('generate --stop cuts the reply before the first stop text', async () => {
    const full = jsonLines<{ content: string; ids: number[] }>((await eto('model', 'generate', '--model', modelDir, '--input', inputFile, '--temperature', '0', '--max-new-tokens', '12', '--threads', '1')).out)[0]!;
    const at = [...full.content].findIndex((ch, i) => i > 0 && /[A-Za-z0-9 ]/.test(ch));
    expect(at).toBeGreaterThan(0); // the greedy reply of this seed has an ASCII character to stop at
    const stop = [...full.content][at]!;
    const { out } = await eto('model', 'generate', '--model', modelDir, '--input', inputFile, '--temperature', '0', '--max-new-tokens', '12', '--stop', 'NEVER-THERE', '--stop', stop, '--threads', '1');
    const cut = jsonLines<{ content: string; ids: number[]; finish_reason: string }>(out)[0]!;
    expect(cut.content).toBe(full.content.slice(0, full.content.indexOf(stop)));
    expect(cut.finish_reason).toBe('stop');
    expect(full.ids.slice(0, cut.ids.length)).toEqual(cut.ids);
    expect(cut.ids.length).toBeLessThan(full.ids.length);
  });

  it('export writes a GGUF file', async () => {
    const file = join(dir, 'tiny.gguf');
    const { code } = await eto('model', 'export', '--model', modelDir, '--format', 'gguf', '--out', file);
    expect(code).toBe(0);
    const bytes = readFileSync(file);
    expect(bytes.toString('ascii', 0, 4)).toBe('GGUF');
    expect(bytes.readUInt32LE(4)).toBe(3);
    expect(Number(bytes.readBigUInt64LE(8))).toBe(2 + 9 * presets.tiny.numHiddenLayers); // tensors of a tied model
  });

  it('bad input: one line naming the file and line or the flag, exit 2, no output file', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${JSON.stringify({ messages: conversations[0] })}\n{"messages": [{"role": "robot", "content": "x"}]}\n`);
    const outFile = join(dir, 'never.jsonl');
    const cases: [string[], RegExp][] = [
      [['score', '--model', modelDir, '--input', bad, '--out', outFile], new RegExp(`^eto: ${bad}:2: messages\\.0\\.role`)],
      [['generate', '--model', modelDir, '--input', bad, '--out', outFile], new RegExp(`^eto: ${bad}:2: `)],
      [['score', '--model', modelDir, '--input', join(dir, 'missing.jsonl'), '--out', outFile], /^eto: .*missing\.jsonl: file not found/],
      [['score', '--model', join(dir, 'nowhere'), '--input', inputFile, '--out', outFile], /^eto: model directory .*nowhere does not exist/],
      [['generate', '--model', modelDir, '--input', inputFile, '--temperature', '-1', '--out', outFile], /^eto: --temperature: /],
      [['generate', '--model', modelDir, '--input', inputFile, '--top-p', '0', '--out', outFile], /^eto: --top-p: /],
      [['generate', '--model', modelDir, '--input', inputFile, '--n', '0', '--out', outFile], /^eto: --n: /],
      [['export', '--model', modelDir, '--format', 'onnx', '--out', outFile], /^eto: --format: /],
      [['init', '--out', join(dir, 'x'), '--preset', 'huge'], /^eto: --preset: /],
      [['init', '--out', join(dir, 'x'), '--preset', 'tiny', '--corpus', join(dir, 'no-corpus.txt')], /^eto: --corpus: cannot read .*no-corpus\.txt/],
    ];
    for (const [args, message] of cases) {
      const { code, err } = await eto('model', ...args);
      expect(code, args.join(' ')).toBe(2);
      expect(err).toMatch(message);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(existsSync(outFile)).toBe(false);
    }
    expect(existsSync(join(dir, 'x'))).toBe(false);
    const long = join(dir, 'long.jsonl');
    writeFileSync(long, `${JSON.stringify({ messages: conversations[1] })}\n${JSON.stringify({ messages: [{ role: 'user', content: 'x '.repeat(400) }] })}\n`);
    for (const command of ['score', 'generate']) {
      const { code, err } = await eto('model', command, '--model', modelDir, '--input', long, '--out', outFile);
      expect(code).toBe(2);
      expect(err).toMatch(new RegExp(`^eto: ${long}:2: .*context`));
      expect(existsSync(outFile)).toBe(false);
    }
  });

  it('every command has --help', async () => {
    for (const [command, flag] of [['init', '--corpus'], ['score', '--input'], ['generate', '--top-p'], ['export', '--format']] as const) {
      const { code, out } = await eto('model', command, '--help');
      expect(code).toBe(0);
      expect(out).toContain(flag);
    }
  });
});

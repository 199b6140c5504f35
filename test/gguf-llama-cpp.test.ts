// GGUF export checked by llama.cpp itself (node-llama-cpp), when it has been installed into .cache/ by
// `npm run bench -- gguf`. It is not a dependency, so without it this test skips (it never installs anything).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareWithLlamaCpp, nodeLlamaCppInstalled, PROMPT, randomCheckpoint } from '../bench/gguf.ts';
import { SPECIAL_TOKENS, Tokenizer } from '../src/model/tokenizer.ts';

const installed = nodeLlamaCppInstalled();
if (!installed) console.warn('skipping the llama.cpp GGUF check: node-llama-cpp is not in .cache/ (run `npm run bench -- gguf` once to install it)');
const dir = mkdtempSync(join(tmpdir(), 'eto-gguf-llama-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!installed)('GGUF in llama.cpp (node-llama-cpp from .cache/)', () => {
  it.each([
    ['tied, kv heads 1 < heads 2', 1, {}],
    ['untied, heads 4, kv heads 2', 3, { hiddenSize: 128, numAttentionHeads: 4, numKeyValueHeads: 2, tieWordEmbeddings: false }],
  ] as const)('%s: greedy tokens, logits and tokenization match ours', async (_name, seed, overrides) => {
    const result = await compareWithLlamaCpp(randomCheckpoint(seed, overrides), join(dir, `m${seed}.gguf`), PROMPT, 8);
    expect(result.ours.length).toBeGreaterThan(0);
    expect(result.llamaCpp).toEqual(result.ours);
    // llama.cpp keeps its KV cache in f16 by default: logits agree to ~1e-3 relative, not f32 precision
    expect(result.maxLogitDiff).toBeLessThan(0.01 * Math.max(1, result.maxAbsLogit));
    expect(result.tokenizationMatches).toBe(true);
  });

  it('loads a vocabulary that learned one string twice (llama.cpp aborts on repeated token strings) and tokenizes like ours', async () => {
    const random = randomCheckpoint(4, {});
    const tokenizer = new Tokenizer(SPECIAL_TOKENS, [['a', 'b'], ['ab', 'c'], ['b', 'c'], ['a', 'bc'], ...random.tokenizer.merges.slice(0, 40)]);
    const config = { ...random.config, vocabSize: tokenizer.vocabSize };
    const checkpoint = { config, params: randomCheckpoint(4, { vocabSize: tokenizer.vocabSize }).params, tokenizer };
    const result = await compareWithLlamaCpp(checkpoint, join(dir, 'dup.gguf'), 'abc xabc bc go to the desk', 4);
    expect(result.tokenizationMatches).toBe(true);
    expect(result.llamaCpp).toEqual(result.ours);
  });
});

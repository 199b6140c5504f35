// `--policy local|openai` and `--policy-base-url/-model/-api-key-env/-concurrency/-timeout-s/-endpoint` on `eto run`,
// `eto explore` and `eto eval`: who plays the episodes. The API key is read here, from the env var the
// user names, and only here (src/cli/ is the one place that reads the environment).
import type { Command } from 'commander';
import type { LocalPolicyOptions } from '../agent/local-policy.ts';
import type { PolicyFactory } from '../agent/policy.ts';
import { ConfigError } from '../errors.ts';
import { flagName, PolicyConfigSchema, type PolicyConfig } from '../eto/config.ts';
import { OPENAI_POLICY_DEFAULTS } from '../policy/openai-options.ts';
import { checkpointExists } from '../model/checkpoint.ts';
import { checkpointContextWindow } from '../policy/context-window.ts';
import { openAiPolicies } from '../policy/openai-policy.ts';

export function addPolicyFlags(command: Command): Command {
  const d = OPENAI_POLICY_DEFAULTS;
  return command
    .option('--policy <name>', 'who plays the episodes: local (the checkpoint, in process) | openai (a server)', 'local')
    .option('--policy-base-url <url>', 'OpenAI-compatible server, with /v1 (e.g. http://127.0.0.1:8000/v1)')
    .option('--policy-model <name>', 'model name the server serves (`GET /v1/models`)')
    .option('--policy-api-key-env <var>', `environment variable holding the API key (default: ${d.apiKeyEnv})`)
    .option('--policy-concurrency <n>', `most requests in flight at once (default: ${d.concurrency})`)
    .option('--policy-timeout-s <s>', `seconds before a request times out and is retried (default: ${d.timeoutS})`)
    .option(
      '--policy-endpoint <name>',
      'chat (/v1/chat/completions: the server applies its chat template) | completions (eto renders the prompt)',
    )
    .option('--no-prefix-cache', 'local policy: prefill each turn\'s whole conversation again instead of keeping ' +
      "each episode's KV cache between turns (to compare speed; same greedy tokens)");
}

/** The local policy's options the flags ask for. */
export function localPolicyOptions(options: Record<string, unknown>): LocalPolicyOptions {
  return { prefixCache: options.prefixCache !== false };
}

/** The policy section of RunConfig the flags ask for (undefined = local), validated; errors name the flag. */
export function policyConfig(options: Record<string, unknown>): PolicyConfig | undefined {
  const kind = String(options.policy ?? 'local');
  if (kind !== 'local' && kind !== 'openai') throw new ConfigError('--policy', `expected local or openai, got "${kind}"`);
  const remoteFlags = ['policyBaseUrl', 'policyModel', 'policyApiKeyEnv', 'policyConcurrency', 'policyTimeoutS', 'policyEndpoint'];
  if (kind === 'local') {
    const stray = remoteFlags.find((key) => options[key] !== undefined);
    if (stray !== undefined) throw new ConfigError(kebab(stray), 'only applies with --policy openai');
    return undefined;
  }
  for (const [key, flag] of [['policyBaseUrl', '--policy-base-url'], ['policyModel', '--policy-model']] as const) {
    if (options[key] === undefined) throw new ConfigError(flag, 'needed with --policy openai');
  }
  return validatePolicyConfig({
    ...OPENAI_POLICY_DEFAULTS,
    kind,
    baseUrl: String(options.policyBaseUrl),
    model: String(options.policyModel),
    ...(options.policyApiKeyEnv === undefined ? {} : { apiKeyEnv: String(options.policyApiKeyEnv) }),
    ...(options.policyEndpoint === undefined ? {} : { endpoint: String(options.policyEndpoint) }),
    ...numberFlag(options, 'policyConcurrency', 'concurrency'),
    ...numberFlag(options, 'policyTimeoutS', 'timeoutS'),
  });
}

/** A stored or given policy config, checked; the first problem names its flag (`policy.timeoutS` → --policy-timeout-s). */
export function validatePolicyConfig(value: unknown): PolicyConfig {
  const parsed = PolicyConfigSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigError(flagName(['policy', ...(issue?.path ?? [])]), issue?.message ?? 'invalid value');
}

/** The PolicyFactory for a config: undefined = the local one (createPipelineDeps builds it on its engine). */
/**
 * The remote policy, or undefined for the local one. `windowFrom`: a checkpoint directory (the --model of
 * eval/explore) whose tokenizer and context window measure prompts, so old turns are dropped before a request
 * as for the in-process model; absent or not a checkpoint, prompts go as they are.
 */
export function policyFactory(config: PolicyConfig | undefined, windowFrom?: string): PolicyFactory | undefined {
  if (config === undefined || config.kind === 'local') return undefined;
  const { kind: _kind, ...options } = config;
  const key = process.env[options.apiKeyEnv];
  const fits = windowFrom !== undefined && checkpointExists(windowFrom) ? checkpointContextWindow(windowFrom) : undefined;
  return openAiPolicies(options, key === undefined || key === '' ? undefined : key, fits ? { fits } : {});
}

function numberFlag(options: Record<string, unknown>, key: string, field: string): Record<string, number> {
  if (options[key] === undefined) return {};
  const text = String(options[key]);
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new ConfigError(kebab(key), `expected a number, got "${text}"`);
  return { [field]: value };
}

/** commander's key → its flag: policyTimeoutS → --policy-timeout-s. */
function kebab(key: string): string {
  return '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

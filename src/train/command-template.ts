// The `--trainer-command` template: `{name}` placeholders filled in per training job, each value shell-quoted,
// then the line runs under /bin/sh. {data} and {out} are required: the job folder in, the output folder out.
import { ConfigError } from '../errors.ts';
import { shellQuote } from './shell-words.ts';

export const TEMPLATE_PLACEHOLDERS = {
  data: 'the job folder: data.jsonl, dataset_info.json, job.json (read only)',
  out: 'the output folder: write model/ (and adapter/) and train-log.jsonl there; keep resumable state in it',
  model: 'the checkpoint training starts from (DPO: also the frozen reference)',
  kind: 'sft or dpo: the dataset kind (RFT trains an sft dataset)',
  stage: 'sft, rft or dpo',
  iteration: 'the ETO iteration (0 for SFT and RFT)',
  seed: 'the batch-order seed eto would use',
} as const;

export type TemplateValues = Record<keyof typeof TEMPLATE_PLACEHOLDERS, string>;

const PLACEHOLDER = /\{([a-z_]*)\}/g;

/** Refuses a template with an unknown placeholder or without {data} and {out}. */
export function checkTemplate(template: string): void {
  const names = [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
  const known = Object.keys(TEMPLATE_PLACEHOLDERS);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0)
    throw new ConfigError('--trainer-command', `unknown placeholder {${unknown[0]}}; known: {${known.join('}, {')}}`);
  for (const needed of ['data', 'out'])
    if (!names.includes(needed))
      throw new ConfigError('--trainer-command', `needs {${needed}} (${TEMPLATE_PLACEHOLDERS[needed as 'data']})`);
}

export function fillTemplate(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (_, name: string) => shellQuote(values[name as keyof TemplateValues]));
}

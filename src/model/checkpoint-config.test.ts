// config.json as transformers 5 writes it (rope_theta inside rope_parameters; seen from AutoConfig.save_pretrained
// 5.25 on checkpoints/alfworld-small-sft) reads as the same LlamaConfig as eto's own older form.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHfConfig } from './checkpoint.ts';

const own = JSON.parse(readFileSync(join(import.meta.dirname, '../../checkpoints/alfworld-small-sft/config.json'), 'utf8')) as Record<string, unknown>;

describe('fromHfConfig', () => {
  it('takes rope_theta from rope_parameters as transformers 5 writes it', () => {
    const { rope_theta: theta, ...rest } = own;
    const v5 = { ...rest, rope_parameters: { rope_type: 'default', rope_theta: theta } };
    expect(fromHfConfig(v5, 'config.json')).toEqual(fromHfConfig(own, 'config.json'));
  });

  it('refuses a scaled rope here and a missing theta, naming the file and field', () => {
    const { rope_theta: theta, ...rest } = own;
    expect(() => fromHfConfig({ ...rest, rope_parameters: { rope_type: 'llama3', rope_theta: theta } }, 'c.json')).toThrow(/c\.json: rope_parameters\.rope_type/);
    expect(() => fromHfConfig(rest, 'c.json')).toThrow(/c\.json: field rope_theta must be a number/);
  });
});

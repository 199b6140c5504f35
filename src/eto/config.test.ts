import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { configLeaves, flagName, validateRunConfig, withValue } from './config.ts';
import { presetConfig, runPresets } from './presets.ts';

describe('RunConfig', () => {
  it('every preset is valid', () => {
    for (const name of Object.keys(runPresets) as (keyof typeof runPresets)[]) expect(validateRunConfig(presetConfig(name)).preset).toBe(name);
  });

  it('names the flag of a bad value', () => {
    const bad = withValue(presetConfig('smoke'), ['dpo', 'beta'], -0.5);
    expect(() => validateRunConfig(bad)).toThrow(ConfigError);
    expect(() => validateRunConfig(bad)).toThrow(/^--dpo-beta: /);
    expect(() => validateRunConfig(withValue(presetConfig('smoke'), ['data', 'exploreTasks'], 1.5))).toThrow(/^--data-explore-tasks: /);
    expect(flagName(['explore', 'maxNewTokens'])).toBe('--explore-max-new-tokens');
  });

  it('lists every leaf once', () => {
    const leaves = configLeaves(presetConfig('default'));
    const flags = leaves.map((leaf) => flagName(leaf.path));
    expect(new Set(flags).size).toBe(flags.length);
    expect(flags).toContain('--dpo-nll-weight');
    expect(flags).toContain('--seed');
  });

  it('keeps the expert seed apart from the run seed, and fills it in for configs written before it existed', () => {
    const reseeded = validateRunConfig(withValue(presetConfig('default'), ['seed'], 7));
    expect(reseeded.data.expertSeed).toBe(presetConfig('default').data.expertSeed);
    const { expertSeed: _dropped, ...olderData } = presetConfig('default').data;
    expect(validateRunConfig({ ...presetConfig('default'), data: olderData } as never).data.expertSeed).toBe(1);
    expect(() => validateRunConfig(withValue(presetConfig('default'), ['data', 'expertSeed'], -1))).toThrow(/^--data-expert-seed: /);
  });
});

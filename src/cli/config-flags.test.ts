// One source for every config flag: the zod schema's descriptions are the --help text, every config leaf
// has one, and every config flag any command offers is a schema field.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { envNames } from '../env/registry.ts';
import { configFields, configLeaves, flagName } from '../eto/config.ts';
import { baseCheckpointFor, presetConfig } from '../eto/presets.ts';
import { ConfigError } from '../errors.ts';
import { buildConfig } from './config-flags.ts';
import { commandGroups } from './commands/index.ts';

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap((sub) => allCommands(sub))];
}

describe('config flags', () => {
  const fields = configFields();

  it('every leaf of the config has a description in the schema', () => {
    const described = new Map(fields.map((f) => [f.path.join('.'), f.help]));
    for (const { path } of configLeaves(presetConfig('default'))) {
      expect(described.get(path.join('.')), path.join('.')).toMatch(/\w{3}/);
    }
    expect(fields.map((f) => f.path.join('.')).sort()).toEqual(
      configLeaves(presetConfig('default'))
        .map((l) => l.path.join('.'))
        .sort(),
    );
    // shared sub-schemas say which section they belong to
    expect(described.get('sft.lr')).toBe('SFT: peak learning rate');
    expect(described.get('dpo.lr')).toBe('DPO: peak learning rate');
  });

  it('the env field names every registered env', () => {
    const env = fields.find((f) => f.path.join('.') === 'env')?.help ?? '';
    for (const name of envNames()) expect(env).toContain(name);
  });

  it("every config flag of every command is a schema field, with the schema's text as its help", () => {
    const program = new Command();
    for (const register of commandGroups) register(program);
    const byFlag = new Map(fields.map((f) => [flagName(f.path), f.help]));
    const sections = Object.entries(presetConfig('default'))
      .filter(([, value]) => value !== null && typeof value === 'object' && !Array.isArray(value))
      .map(([key]) => `--${key}-`);
    let checked = 0;
    for (const command of allCommands(program)) {
      for (const option of command.options) {
        const looksLikeField = sections.some((prefix) => option.long?.startsWith(prefix));
        if (!option.description.includes('(default preset:') && !looksLikeField) continue;
        expect(byFlag.has(option.long ?? ''), `${command.name()} ${option.long}`).toBe(true);
        expect(
          option.description.startsWith(byFlag.get(option.long ?? '') ?? '?'),
          `${command.name()} ${option.long}`,
        ).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(fields.length);
  });

  it('--model-init replaces the preset base; naming both is refused on --model-init', () => {
    expect(buildConfig('default', {}).model.base).toBe(baseCheckpointFor('alfworld'));
    const init = buildConfig('default', { modelInit: '/models/smollm2' });
    expect(init.model).toMatchObject({ init: '/models/smollm2', base: '' });
    let error: unknown;
    try {
      buildConfig('default', { modelInit: '/m', modelBase: '/b' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('--model-init');
    expect((error as ConfigError).message).toMatch(/--model-init.*not both/s);
  });

  it('--lora-targets takes a comma list that the schema checks', () => {
    expect(buildConfig('smoke', { loraRank: '8', loraTargets: 'q_proj, v_proj,o_proj' }).lora).toMatchObject({
      rank: 8, targets: ['q_proj', 'v_proj', 'o_proj'],
    });
    expect(() => buildConfig('smoke', { loraTargets: 'q_proj,w_proj' })).toThrow(/--lora-targets/);
    expect(() => buildConfig('smoke', { loraRank: '-1' })).toThrow(/--lora-rank/);
  });
});

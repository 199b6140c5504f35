// RunConfig ⇄ command-line flags: every config leaf gets `--<path-in-kebab-case> <value>` with a
// description; given flags override the preset; validation errors name the flag (ConfigError, exit 2).
import type { Command } from 'commander';
import { ConfigError } from '../errors.ts';
import { configFields, configLeaves, flagName, validateRunConfig, withValue, type RunConfig } from '../eto/config.ts';
import { baseCheckpointFor, presetConfig, type PresetName } from '../eto/presets.ts';

const explicit = new Set(['preset', 'baselines']);

/** The --help line of each config field: the schema's description (one source for name, type and text). */
const fieldHelp = new Map(configFields().map((field) => [field.path.join('.'), field.help]));

/** Adds a flag for each config leaf whose path passes `include`; its help is the schema's description. */
export function addConfigFlags(command: Command, include: (path: string) => boolean = () => true): Command {
  for (const { path, value } of configLeaves(presetConfig('default'))) {
    const key = path.join('.');
    if (explicit.has(key) || !include(key)) continue;
    const help = fieldHelp.get(key);
    if (help === undefined) throw new Error(`config field ${key} has no description in RunConfigSchema`);
    command.option(`${flagName(path)} <value>`, `${help} (default preset: ${JSON.stringify(value)})`);
  }
  return command;
}

/** The preset with the given flags applied, validated. */
export function buildConfig(preset: string, options: Record<string, unknown>): RunConfig {
  if (!['smoke', 'default', 'paper'].includes(preset))
    throw new ConfigError('--preset', `unknown preset "${preset}"; choose smoke, default or paper`);
  let config = presetConfig(preset as PresetName);
  for (const { path, value } of configLeaves(config)) {
    if (explicit.has(path.join('.'))) continue;
    const given = options[optionKey(path)];
    if (given === undefined) continue;
    config = withValue(config, path, parseLike(value, String(given), flagName(path)));
  }
  // a preset that starts from a base starts from the base of the chosen env, unless --model-base says otherwise
  // ... and --model-init (SFT from the user's model) replaces the preset's base
  if (config.model.base !== '' && options[optionKey(['model', 'base'])] === undefined) {
    config = withValue(config, ['model', 'base'], config.model.init === '' ? baseCheckpointFor(config.env) : '');
  }
  return validateRunConfig(config);
}

/** commander's camelCase key for a flag: --dpo-nll-weight → dpoNllWeight. */
function optionKey(path: readonly string[]): string {
  const flag = flagName(path).slice(2);
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function parseLike(example: unknown, text: string, flag: string): unknown {
  if (typeof example === 'number') {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) throw new ConfigError(flag, `expected a number, got "${text}"`);
    return value;
  }
  if (typeof example === 'boolean') {
    if (text !== 'true' && text !== 'false') throw new ConfigError(flag, `expected true or false, got "${text}"`);
    return text === 'true';
  }
  // list fields (lora.targets) take comma-separated values; the schema checks each
  if (Array.isArray(example)) return text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  return text;
}

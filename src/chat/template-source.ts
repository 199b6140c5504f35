// Reading a checkpoint's own chat template the way transformers does: chat_template.jinja wins over the
// `chat_template` field of tokenizer_config.json (a string, or a list of {name, template} where "default"
// is used); bos/eos and the other special tokens come as strings or AddedToken objects. No rendering here.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../errors.ts';

export interface ChatTemplateSource {
  template: string;
  /** Where the template text was read, for error messages. */
  file: string;
  /** Template variables transformers passes: bos_token, eos_token, unk_token, pad_token, ... (set ones only). */
  specialTokens: Readonly<Record<string, string>>;
}

const SPECIAL_TOKEN_KEYS = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'];

/** The template of checkpoint directory `dir`, or undefined when it has none. */
export function readChatTemplate(dir: string): ChatTemplateSource | undefined {
  const configFile = join(dir, 'tokenizer_config.json');
  const config = existsSync(configFile) ? readJsonObject(configFile) : {};
  const specialTokens = readSpecialTokens(config, configFile);
  const jinjaFile = join(dir, 'chat_template.jinja');
  if (existsSync(jinjaFile)) {
    return { template: readFileSync(jinjaFile, 'utf8'), file: jinjaFile, specialTokens };
  }
  const template = pickTemplate(config.chat_template, configFile);
  return template === undefined ? undefined : { template, file: configFile, specialTokens };
}

function pickTemplate(field: unknown, file: string): string | undefined {
  if (field === undefined || field === null) return undefined;
  if (typeof field === 'string') return field;
  if (Array.isArray(field)) {
    const named = field.map((entry, i) => {
      const { name, template } = (entry ?? {}) as { name?: unknown; template?: unknown };
      if (typeof name !== 'string' || typeof template !== 'string') {
        throw new DataError(file, undefined, `chat_template[${i}] must be {name: string, template: string}`);
      }
      return { name, template };
    });
    const chosen = named.find((t) => t.name === 'default');
    if (!chosen) {
      const names = named.map((t) => t.name).join(', ');
      throw new DataError(file, undefined, `chat_template lists [${names}] but no "default" template`);
    }
    return chosen.template;
  }
  throw new DataError(file, undefined, `chat_template must be a string or a list of {name, template}`);
}

/** A token field as a string: "<s>" or {"__type": "AddedToken", "content": "<s>", ...}; null = unset. */
export function tokenText(value: unknown, field: string, file: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  const content = (value as { content?: unknown }).content;
  if (typeof content === 'string') return content;
  throw new DataError(file, undefined, `${field} must be a string or an AddedToken object with "content"`);
}

function readSpecialTokens(config: Record<string, unknown>, file: string): Record<string, string> {
  const tokens: Record<string, string> = {};
  for (const key of SPECIAL_TOKEN_KEYS) {
    const text = tokenText(config[key], key, file);
    if (text !== undefined) tokens[key] = text;
  }
  return tokens;
}

export function readJsonObject(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new DataError(file, undefined, 'is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DataError(file, undefined, 'must hold a JSON object');
  }
  return value as Record<string, unknown>;
}

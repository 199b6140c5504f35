// The tokens that end a reply: generation_config.json's `eos_token_id` (an int or a list; config.json's when there
// is no generation_config.json, as transformers falls back) plus the tokenizer's eos_token. Their texts too,
// since the assistant mask extends each turn over the stop token that closes it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../errors.ts';
import type { TextTokenizer } from './token-mask.ts';
import { readJsonObject, tokenText } from './template-source.ts';

export interface StopTokens {
  ids: number[];
  /** The ids' texts (e.g. <|im_end|>, <|eot_id|>), where known. */
  texts: string[];
}

/** Stop tokens of checkpoint `dir`; `tokenizer` turns the eos_token text into its id. */
export function readStopTokens(dir: string, tokenizer: TextTokenizer): StopTokens {
  const generationFile = join(dir, 'generation_config.json');
  const configFile = join(dir, 'config.json');
  const file = existsSync(generationFile) ? generationFile : existsSync(configFile) ? configFile : undefined;
  const ids = file === undefined ? [] : eosIds(readJsonObject(file).eos_token_id, file);
  const texts: string[] = [];
  const idText = addedTokenTexts(dir);
  for (const id of ids) {
    const text = idText.get(id);
    if (text !== undefined) texts.push(text);
  }
  const tokenizerConfig = join(dir, 'tokenizer_config.json');
  const eos = existsSync(tokenizerConfig)
    ? tokenText(readJsonObject(tokenizerConfig).eos_token, 'eos_token', tokenizerConfig)
    : undefined;
  if (eos !== undefined) {
    const encoded = tokenizer.encode(eos);
    if (encoded.length !== 1) {
      throw new DataError(tokenizerConfig, undefined, `eos_token ${JSON.stringify(eos)} is not one token of tokenizer.json`);
    }
    if (!ids.includes(encoded[0] as number)) ids.push(encoded[0] as number);
    if (!texts.includes(eos)) texts.push(eos);
  }
  return { ids, texts };
}

function eosIds(value: unknown, file: string): number[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((id) => Number.isInteger(id) && id >= 0)) {
    throw new DataError(file, undefined, `eos_token_id must be a token id or a list of them, got ${JSON.stringify(value)}`);
  }
  return [...new Set(list as number[])];
}

/** id → text of the added tokens: tokenizer_config.json's added_tokens_decoder, else tokenizer.json's added_tokens. */
function addedTokenTexts(dir: string): Map<number, string> {
  const texts = new Map<number, string>();
  const configFile = join(dir, 'tokenizer_config.json');
  const decoder = existsSync(configFile) ? readJsonObject(configFile).added_tokens_decoder : undefined;
  if (decoder && typeof decoder === 'object') {
    for (const [id, token] of Object.entries(decoder)) {
      const text = tokenText(token, `added_tokens_decoder.${id}`, configFile);
      if (text !== undefined) texts.set(Number(id), text);
    }
    return texts;
  }
  const tokenizerFile = join(dir, 'tokenizer.json');
  if (!existsSync(tokenizerFile)) return texts;
  const added = readJsonObject(tokenizerFile).added_tokens;
  for (const token of Array.isArray(added) ? added : []) {
    const { id, content } = (token ?? {}) as { id?: unknown; content?: unknown };
    if (typeof id === 'number' && typeof content === 'string') texts.set(id, content);
  }
  return texts;
}

// An imported Hugging Face checkpoint as the policy: the engine model (hf-to-llama.ts), its own tokenizer.json
// (src/tokenizer) and its chat template, stop tokens included (src/chat). Saving writes the trained weights in the
// source's layout (F32) with the source's tokenizer and template files beside them, so transformers, vLLM and eto
// all reopen it the same way.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compileChatTemplate, readChatTemplate, readStopTokens, templateChatFormat, type ChatFormat,
} from '../chat/index.ts';
import type { Engine } from '../engine/index.ts';
import { CheckpointError } from '../errors.ts';
import { loadHfTokenizer, type HfTokenizer } from '../tokenizer/index.ts';
import { CHAT_TEMPLATE } from './chat.ts';
import { loadHfModel, type HfModel } from './hf-checkpoint.ts';
import { saveHfModel } from './hf-save.ts';
import { engineModelFromHf } from './hf-to-llama.ts';
import { loadPeftAdapter } from './lora-adapter.ts';
import { mergeLora } from './lora-merge.ts';
import type { LlamaModel, ModelOptions } from './llama.ts';

/** The files besides the weights that make the checkpoint's tokenizer and template (copied on save). */
const TOKENIZER_FILES = [
  'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'generation_config.json', 'chat_template.jinja',
];

function tokenizerFilesIn(dir: string): string[] {
  return TOKENIZER_FILES.map((name) => join(dir, name)).filter((file) => existsSync(file));
}

/** eto's own checkpoints carry eto's template; everything else with a config.json is an imported checkpoint. */
export function isImportedCheckpoint(dir: string): boolean {
  const configFile = join(dir, 'tokenizer_config.json');
  if (!existsSync(join(dir, 'config.json'))) return false;
  if (!existsSync(configFile)) return true;
  try {
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as { chat_template?: unknown };
    return config.chat_template !== CHAT_TEMPLATE;
  } catch {
    return true; // let the loader name the broken file
  }
}

export interface HfPolicyParts {
  model: LlamaModel;
  tokenizer: HfTokenizer;
  chat: ChatFormat;
  /** The source's config and files, for saving. */
  source: { dir: string; hf: Omit<HfModel, 'params'> };
}

/** The tokenizer and chat format of an imported checkpoint, without its weights (context checks, scoring). */
export function openHfChat(dir: string): { tokenizer: HfTokenizer; chat: ChatFormat } {
  const tokenizer = loadHfTokenizer(dir);
  const source = readChatTemplate(dir);
  if (!source) {
    throw new CheckpointError(`${join(dir, 'tokenizer_config.json')}: no chat_template (nor chat_template.jinja); ` +
      'eto renders the env prompts through the model\'s template: use an instruct/chat checkpoint');
  }
  const stops = readStopTokens(dir, tokenizer);
  return { tokenizer, chat: templateChatFormat(compileChatTemplate(source), tokenizer, stops) };
}

export function openHfPolicy(engine: Engine, dir: string, options: ModelOptions = {}): HfPolicyParts {
  const { tokenizer, chat } = openHfChat(dir);
  const hf = loadHfModel(dir);
  const model = engineModelFromHf(engine, hf, options);
  const { params: _, ...rest } = hf;
  return { model, tokenizer, chat, source: { dir, hf: rest } };
}

/** The engine's weights (HF names) in the source's layout, with the source's tokenizer files. */
export function saveHfPolicy(dir: string, model: LlamaModel, source: HfPolicyParts['source']): void {
  saveHfModel(dir, { ...source.hf, params: model.params }, 'F32', tokenizerFilesIn(source.dir));
}

/** `eto model merge`: base + PEFT adapter → one ordinary checkpoint, with the base's tokenizer files. */
export function mergeAdapterCheckpoint(baseDir: string, adapterDir: string, outDir: string,
  dtype?: HfModel['storedDtype']): { adapted: number } {
  const base = loadHfModel(baseDir);
  const adapter = loadPeftAdapter(adapterDir, base.config);
  saveHfModel(outDir, mergeLora(base, adapter), dtype ?? base.storedDtype, tokenizerFilesIn(baseDir));
  return { adapted: adapter.pairs.size };
}

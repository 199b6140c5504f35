// Bring your own model (#16 Done-when 4): `eto run --preset smoke --model-init DIR --lora-rank 4` on an imported
// checkpoint — a random Llama in HF layout with a tokenizer.json and a chat template of its own (not eto's) —
// finishes, writes valid artifacts, and each LoRA stage leaves a PEFT adapter whose merge into the stage's start
// checkpoint (computed here by mergeLora, independently of the trainer's weights) is the checkpoint it wrote.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJson, readJsonl } from '../src/data/jsonl.ts';
import { PairSchema, SummarySchema, TrainLogEntrySchema, TrajectorySchema } from '../src/data/schemas.ts';
import { saveCheckpoint } from '../src/model/checkpoint.ts';
import { loadHfModel } from '../src/model/hf-checkpoint.ts';
import { loadPeftAdapter } from '../src/model/lora-adapter.ts';
import { mergeLora } from '../src/model/lora-merge.ts';
import { randomParams, testConfig } from '../src/model/test-models.ts';
import { trainTokenizer } from '../src/model/tokenizer.ts';
import { expertConversations } from './helpers/parity-corpus.ts';
import { runEtoCli } from './helpers/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'eto-model-init-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Zephyr-style turns (role tag, newline, content, end tag, newline): eto's tokens, another template
const TEMPLATE = "{{ bos_token }}{% for message in messages %}" +
  "{{ '<|' + message['role'] + '|>\\n' + message['content'] + " +
  "'<|end|>\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";

async function importedCheckpoint(dir: string): Promise<void> {
  const texts = (await expertConversations(3)).flatMap((t) => t.messages.map((m) => m.content));
  const tokenizer = trainTokenizer(texts, { vocabSize: 400 });
  const config = testConfig({
    vocabSize: tokenizer.vocabSize, hiddenSize: 32, intermediateSize: 64, numAttentionHeads: 4,
    numKeyValueHeads: 2, maxPositionEmbeddings: 1024, eosTokenId: tokenizer.tokenId('<|end|>'),
  });
  saveCheckpoint(dir, { config, params: randomParams(config, 3, 0.05), tokenizer });
  const tokenizerConfig = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as object;
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ ...tokenizerConfig, chat_template: TEMPLATE }));
}

/** max |merged(start + adapter) − written| over every tensor. */
function mergeError(startDir: string, adapterDir: string, writtenDir: string): number {
  const start = loadHfModel(startDir);
  const merged = mergeLora(start, loadPeftAdapter(adapterDir, start.config));
  const written = loadHfModel(writtenDir);
  let worst = 0;
  for (const [name, values] of merged.params) {
    const other = written.params.get(name);
    if (!other || other.length !== values.length) throw new Error(`${writtenDir}: tensor ${name} missing or resized`);
    for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs((values[i] ?? 0) - (other[i] ?? 0)));
  }
  return worst;
}

describe('eto run --model-init DIR --lora-rank 4 (an imported checkpoint)', () => {
  const init = join(root, 'init');
  const out = join(root, 'run');

  it('runs the smoke loop, writes valid artifacts, and each stage = its start + its PEFT adapter', async () => {
    await importedCheckpoint(init);
    const result = await runEtoCli([
      'run', '--preset', 'smoke', '--seed', '3', '--out', out, '--model-init', init, '--lora-rank', '4',
      '--lora-targets', 'q_proj,v_proj,down_proj',
    ]);
    expect(result.stderr).not.toContain('internal error');
    expect(result.code, result.stderr).toBe(0);
    const summary = readJson(join(out, 'summary.json'), SummarySchema);
    expect(summary.results.map((r) => r.stage)).toEqual(expect.arrayContaining(['sft', 'eto-1']));
    readJsonl(join(out, 'iter-1', 'explore.jsonl'), TrajectorySchema);
    readJsonl(join(out, 'iter-1', 'pairs.jsonl'), PairSchema);
    for (const log of ['sft/train-log.jsonl', 'iter-1/train-log.jsonl']) {
      expect(readJsonl(join(out, log), TrainLogEntrySchema).length, log).toBeGreaterThan(0);
    }
    // no tokenizer was trained: the run uses the model's own
    expect(existsSync(join(out, 'data', 'tokenizer.json'))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'sft', 'model', 'tokenizer_config.json'), 'utf8')).chat_template)
      .toBe(TEMPLATE);

    for (const [stage, start] of [['sft', init], ['iter-1', join(out, 'sft', 'model')]] as const) {
      const adapter = JSON.parse(readFileSync(join(out, stage, 'adapter', 'adapter_config.json'), 'utf8'));
      expect(adapter).toMatchObject({ peft_type: 'LORA', r: 4, lora_alpha: 16 });
      expect([...adapter.target_modules].sort()).toEqual(['down_proj', 'q_proj', 'v_proj']);
      expect(existsSync(join(out, stage, 'adapter', 'adapter_model.safetensors'))).toBe(true);
      expect(mergeError(start, join(out, stage, 'adapter'), join(out, stage, 'model')), stage).toBeLessThan(1e-5);
    }
    // the adapters moved the weights (the merge check above is not comparing a model with itself)
    const before = loadHfModel(init).params.get('model.layers.0.self_attn.q_proj.weight');
    const after = loadHfModel(join(out, 'sft', 'model')).params.get('model.layers.0.self_attn.q_proj.weight');
    expect(before?.some((v, i) => Math.abs(v - (after?.[i] ?? v)) > 1e-6)).toBe(true);
  }, 300_000);

  it('eto model merge folds a stage adapter into its start: the checkpoint the stage wrote', async () => {
    const merged = join(root, 'merged');
    const nope = join(root, 'nope');
    const missing = await runEtoCli(['model', 'merge', '--base', init, '--adapter', nope, '--out', merged]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--adapter: .*nope does not exist/);
    const result = await runEtoCli([
      'model', 'merge', '--base', init, '--adapter', join(out, 'sft', 'adapter'), '--out', merged,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('with 6 LoRA projections folded in'); // 2 layers × q, v, down
    const written = loadHfModel(join(out, 'sft', 'model')).params;
    let worst = 0;
    for (const [name, values] of loadHfModel(merged).params) {
      const other = written.get(name) as Float32Array;
      for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs((values[i] ?? 0) - (other[i] ?? 0)));
    }
    expect(worst).toBeLessThan(1e-5);
    expect(JSON.parse(readFileSync(join(merged, 'tokenizer_config.json'), 'utf8')).chat_template).toBe(TEMPLATE);
  }, 120_000);
});

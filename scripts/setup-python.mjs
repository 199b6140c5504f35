// `npm run setup:python`: makes <repo>/.venv from python/requirements.txt (exact pins) for the Python training
// hand-off and the tests against transformers/peft/TRL. pip's own cache (~/.cache/pip) is reused, so a second
// run downloads nothing. Needs python3 ≥ 3.10 with venv; PYTHON names another interpreter.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.venv');
const python = process.env.PYTHON ?? 'python3';

function run(command, args) {
  process.stdout.write(`$ ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root });
  if (result.status !== 0) {
    process.stderr.write(`setup:python: ${command} exited with ${result.status ?? result.signal}\n`);
    process.exit(1);
  }
}

if (!existsSync(join(venv, 'bin', 'python'))) run(python, ['-m', 'venv', venv]);
const pip = join(venv, 'bin', 'pip');
run(pip, ['install', '--upgrade', 'pip']);
run(pip, ['install', '-r', join(root, 'python', 'requirements.txt')]);
const check = 'import torch, transformers, accelerate, peft, trl, gguf, safetensors; print("setup:python: ok")';
run(join(venv, 'bin', 'python'), ['-c', check]);

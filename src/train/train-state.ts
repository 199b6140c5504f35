// Resumable training state: model parameters (HF checkpoint dir) + AdamW moments + step, saved under
// <dir>/step-<n>/ and published by atomically rewriting <dir>/state.json; older snapshots are removed after.
import { existsSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readJson, writeFileAtomic, writeJsonAtomic } from '../data/jsonl.ts';
import { loadCheckpoint, saveCheckpoint } from '../model/checkpoint.ts';
import type { LlamaModel } from '../model/llama.ts';
import type { Tokenizer } from '../model/tokenizer.ts';

const StateSchema = z.object({ step: z.number().int().min(0), snapshot: z.string() });

export interface OptimizerState {
  m: Float32Array;
  v: Float32Array;
  step: number;
}

export function saveTrainState(dir: string, step: number, model: LlamaModel, tokenizer: Tokenizer, optimizer: OptimizerState): void {
  const snapshot = `step-${step}`;
  const snapshotDir = join(dir, snapshot);
  rmSync(snapshotDir, { recursive: true, force: true });
  saveCheckpoint(join(snapshotDir, 'model'), { config: model.config, params: model.params, tokenizer });
  const moments = new Float32Array(optimizer.m.length * 2);
  moments.set(optimizer.m, 0);
  moments.set(optimizer.v, optimizer.m.length);
  writeFileAtomic(join(snapshotDir, 'optimizer.bin'), new Uint8Array(moments.buffer, moments.byteOffset, moments.byteLength));
  writeJsonAtomic(join(snapshotDir, 'optimizer.json'), { step: optimizer.step, length: optimizer.m.length });
  writeJsonAtomic(join(dir, 'state.json'), { step, snapshot });
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('step-') && entry !== snapshot) rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

export interface LoadedTrainState {
  step: number;
  params: Map<string, Float32Array>;
  optimizer: OptimizerState;
}

export function loadTrainState(dir: string): LoadedTrainState | null {
  const stateFile = join(dir, 'state.json');
  if (!existsSync(stateFile)) return null;
  const state = readJson(stateFile, StateSchema);
  const snapshotDir = join(dir, state.snapshot);
  const { params } = loadCheckpoint(join(snapshotDir, 'model'));
  const meta = readJson(join(snapshotDir, 'optimizer.json'), z.object({ step: z.number().int(), length: z.number().int() }));
  const bytes = readFileSync(join(snapshotDir, 'optimizer.bin'));
  const moments = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return {
    step: state.step,
    params,
    optimizer: { m: moments.slice(0, meta.length), v: moments.slice(meta.length), step: meta.step },
  };
}

// Resumable training state: the trainable's values (params.safetensors: every weight, or a LoRA adapter) + AdamW
// moments + step, saved under <dir>/step-<n>/ and published by atomically rewriting <dir>/state.json; older
// snapshots are removed after.
import { existsSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readJson, writeFileAtomic, writeJsonAtomic } from '../data/jsonl.ts';
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from '../model/safetensors.ts';

const StateSchema = z.object({ step: z.number().int().min(0), snapshot: z.string() });

export interface OptimizerState {
  m: Float32Array;
  v: Float32Array;
  step: number;
}

const PARAMS_FILE = 'params.safetensors';

export function saveTrainState(dir: string, step: number, params: Map<string, Float32Array>,
  optimizer: OptimizerState): void {
  const snapshot = `step-${step}`;
  const snapshotDir = join(dir, snapshot);
  rmSync(snapshotDir, { recursive: true, force: true });
  const tensors = new Map<string, NamedTensor>(
    [...params].map(([name, data]) => [name, { data, shape: [data.length] }]),
  );
  writeFileAtomic(join(snapshotDir, PARAMS_FILE), encodeSafetensors(tensors, { format: 'eto-train-state' }));
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
  const paramsFile = join(snapshotDir, PARAMS_FILE);
  const { tensors } = decodeSafetensors(readFileSync(paramsFile), paramsFile);
  const params = new Map([...tensors].map(([name, tensor]) => [name, tensor.data]));
  const meta = readJson(join(snapshotDir, 'optimizer.json'), z.object({ step: z.number().int(), length: z.number().int() }));
  const bytes = readFileSync(join(snapshotDir, 'optimizer.bin'));
  const moments = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return {
    step: state.step,
    params,
    optimizer: { m: moments.slice(0, meta.length), v: moments.slice(meta.length), step: meta.step },
  };
}

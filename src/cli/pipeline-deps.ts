// Builds the pipeline's deps from the process: stderr progress bars, stdout/stderr logging, the wall
// clock, an engine with the configured threads, and the env registry.
import { createEngine } from '../engine/index.ts';
import { getEnv } from '../env/registry.ts';
import type { PipelineDeps } from '../eto/deps.ts';
import { createProgressFactory } from './progress.ts';

export async function createPipelineDeps(threads: number): Promise<PipelineDeps & { dispose(): void }> {
  const now = (): number => Date.now();
  const engine = await createEngine(threads > 0 ? { threads } : {});
  return {
    log: (message) => process.stdout.write(message.endsWith('\n') ? message : message + '\n'),
    startProgress: createProgressFactory(process.stderr, now),
    now,
    engine,
    loadEnv: getEnv,
    dispose: () => engine.dispose(),
  };
}

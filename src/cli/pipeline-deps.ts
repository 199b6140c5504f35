// Builds the pipeline's deps from the process: stderr progress bars, stdout logging, the wall clock, an
// engine with the configured threads, the env registry, the local policy and trainer backends, and the
// run's provenance (eto version, git commit, command line, Node, engine).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createEngine, type EngineChoice } from '../engine/index.ts';
import { getEnv } from '../env/registry.ts';
import { LOCAL_POLICY_DEFAULTS, localPolicies, type LocalPolicyOptions } from '../agent/local-policy.ts';
import type { PolicyFactory } from '../agent/policy.ts';
import type { PipelineDeps, RunProvenance } from '../eto/deps.ts';
import { createProgressFactory } from './progress.ts';
import { createTrainer, type TrainerChoice } from './trainer-flags.ts';

/** `policies` absent = the local backend on this engine (a remote one comes from src/cli/policy-flags.ts). */
export async function createPipelineDeps(
  threads: number,
  trainer: TrainerChoice = { kind: 'local' },
  policies?: PolicyFactory,
  local: LocalPolicyOptions = LOCAL_POLICY_DEFAULTS,
  backend: EngineChoice = 'auto',
): Promise<PipelineDeps & { dispose(): void }> {
  const now = (): number => Date.now();
  const engine = await createEngine(threads > 0 ? { threads, backend } : { backend });
  const log = (message: string): void => void process.stdout.write(message.endsWith('\n') ? message : message + '\n');
  return {
    log,
    startProgress: createProgressFactory(process.stderr, now),
    now,
    engine,
    loadEnv: getEnv,
    policies: policies ?? localPolicies(engine, local),
    trainer: createTrainer(trainer, engine, log),
    provenance: processProvenance(engine.backend, engine.threads),
    dispose: () => engine.dispose(),
  };
}

const packageRoot = new URL('../../', import.meta.url);

function processProvenance(engineBackend: string, threads: number): RunProvenance {
  const { version } = JSON.parse(readFileSync(new URL('package.json', packageRoot), 'utf8')) as { version: string };
  const gitCommit = currentCommit();
  return {
    etoVersion: version,
    ...(gitCommit ? { gitCommit } : {}),
    command: process.argv.slice(2),
    node: process.version,
    engineBackend,
    threads,
  };
}

/** The checkout's commit, when eto runs from a git checkout with git installed. */
function currentCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

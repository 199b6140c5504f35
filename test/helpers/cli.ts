// Runs the eto CLI in a child process (as a user would) and collects its exit code and output.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const etoBin = fileURLToPath(new URL('../../bin/eto.js', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startEto(args: string[], cwd = repoRoot): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [etoBin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export function runEtoCli(args: string[], cwd = repoRoot): Promise<CliResult> {
  return startEto(args, cwd).done;
}

/** Starts `eto serve ARGS` and resolves with its `/v1` base URL once it prints it, and a stop function. */
export function startServe(args: string[]): Promise<{ baseURL: string; stop: () => void }> {
  const { child } = startEto(['serve', ...args]);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /(http:\/\/\S+\/v1)/.exec(out)?.[1];
      if (url) resolve({ baseURL: url, stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`eto serve exited with ${code}: ${out}`)));
  });
}

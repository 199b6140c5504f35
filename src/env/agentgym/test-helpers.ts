// Starts `eto env serve …` in a child process (the blocking RemoteEnv cannot talk to a server in its own
// thread) and resolves with its base URL once it prints the address it listens on.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const etoBin = fileURLToPath(new URL('../../../bin/eto.js', import.meta.url));

export interface ServedEnv {
  baseUrl: string;
  child: ChildProcess;
  stop(): void;
}

export function startServer(args: string[], timeoutMs = 30_000): Promise<ServedEnv> {
  const child = spawn(process.execPath, [etoBin, 'env', 'serve', ...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`server did not start within ${timeoutMs} ms: ${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ baseUrl: match[1] as string, child, stop: () => child.kill() });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${output}`));
    });
  });
}

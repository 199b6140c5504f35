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

/** `nodeArgs` go to node itself, e.g. `--expose-gc` so that `/stats?gc=1` can collect before measuring. */
export function startServer(args: string[], timeoutMs = 30_000, nodeArgs: string[] = []): Promise<ServedEnv> {
  const argv = [...nodeArgs, etoBin, 'env', 'serve', ...args, '--port', '0'];
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
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

/** POSTs JSON to an AgentGym server and returns the JSON reply; a non-200 status throws with the body. */
export async function postJson(base: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const headers = { 'content-type': 'application/json' };
  const init = body === undefined ? {} : { body: JSON.stringify(body), headers };
  const response = await fetch(`${base}${path}`, { method: 'POST', ...init });
  if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/**
 * One load client on the ALFWorld protocol: opens a session, plays `steps` random admissible actions over
 * successive games (resetting when one ends), closes it. `pick(n)` chooses an index below n.
 */
export async function playAlfworldSession(
  base: string,
  steps: number,
  firstGame: number,
  pick: (n: number) => number,
): Promise<{ steps: number; requests: number }> {
  const { id } = (await postJson(base, '/create')) as { id: number };
  let game = firstGame;
  let requests = 2;
  let reply = await postJson(base, '/reset', { id, game, world_type: 'Text' });
  for (let step = 0; step < steps; step++) {
    if (reply.error !== undefined) throw new Error(String(reply.error));
    const actions = reply.available_actions as string[];
    reply = await postJson(base, '/step', { id, action: actions[pick(actions.length)] ?? 'look' });
    requests++;
    if (reply.done === true) {
      game = (game + 1) % 3321;
      reply = await postJson(base, '/reset', { id, game, world_type: 'Text' });
      requests++;
    }
  }
  if ((await postJson(base, '/close', { id })) !== (true as unknown)) {
    throw new Error(`/close of session ${id} did not answer true`);
  }
  return { steps, requests: requests + 1 };
}

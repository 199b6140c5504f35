// `npm run bench -- env-serve [--seconds S] [--repeats R]`: the AgentGym env server under load, as a real
// `eto env serve alfworld` child process on loopback. One JSON line per client count (1, 8, 32): requests/s
// and steps/s, median over R runs of S seconds; then one soak line (--waves W waves of 40 sessions × 100
// steps; default 5 = 200 sessions, 20,000 steps) with RSS after a full collection after each wave (/stats?gc=1).
import { playAlfworldSession, startServer } from '../src/env/agentgym/test-helpers.ts';
import { Rng } from '../src/rng.ts';
import { median, round } from './stats.ts';

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

/** `clients` concurrent sessions of 50 steps each, new ones started until `seconds` have passed. */
async function load(base: string, clients: number, seconds: number, seed: number): Promise<{ requestsPerS: number; stepsPerS: number }> {
  const rng = new Rng(seed);
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let requests = 0;
  let steps = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const own = rng.fork(next);
      const done = await playAlfworldSession(base, 50, (next++ * 13) % 3321, (n) => own.int(n));
      requests += done.requests;
      steps += done.steps;
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  const elapsed = (performance.now() - started) / 1000;
  return { requestsPerS: requests / elapsed, stepsPerS: steps / elapsed };
}

export async function run(args: string[]): Promise<void> {
  const seconds = option(args, '--seconds', 3);
  const repeats = option(args, '--repeats', 3);
  const served = await startServer(['alfworld']);
  try {
    await load(served.baseUrl, 4, 1, 0); // warm-up: JIT and the first games' caches
    for (const clients of [1, 8, 32]) {
      const runs = [];
      for (let r = 0; r < repeats; r++) runs.push(await load(served.baseUrl, clients, seconds, r + 1));
      console.log(JSON.stringify({
        bench: 'env-serve', env: 'alfworld', clients, seconds, repeats,
        requestsPerS: round(median(runs.map((x) => x.requestsPerS))), stepsPerS: round(median(runs.map((x) => x.stepsPerS))),
        runsRequestsPerS: runs.map((x) => round(x.requestsPerS)),
      }));
    }
  } finally {
    served.stop();
  }
  const waves = option(args, '--waves', 5);
  const soaked = await startServer(['alfworld', '--max-sessions', '40'], 30_000, ['--expose-gc']);
  try {
    const rss: number[] = [];
    const rng = new Rng(13);
    const started = performance.now();
    let steps = 0;
    for (let wave = 0; wave < waves; wave++) {
      const sessions = Array.from({ length: 40 }, (_, c) => {
        const own = rng.fork(wave * 40 + c);
        return playAlfworldSession(soaked.baseUrl, 100, ((wave * 40 + c) * 7) % 3321, (n) => own.int(n));
      });
      steps += (await Promise.all(sessions)).reduce((sum, x) => sum + x.steps, 0);
      rss.push(((await (await fetch(`${soaked.baseUrl}/stats?gc=1`)).json()) as { rssBytes: number }).rssBytes);
    }
    const stats = (await (await fetch(`${soaked.baseUrl}/stats`)).json()) as Record<string, number>;
    console.log(JSON.stringify({
      bench: 'env-serve-soak', sessions: stats.created, steps, seconds: round((performance.now() - started) / 1000),
      open: stats.open, errors: stats.errors, rssMb: rss.map((b) => round(b / 2 ** 20)),
      growthAfterFirstWaveMb: round((Math.max(...rss.slice(1)) - (rss[0] as number)) / 2 ** 20),
    }));
  } finally {
    soaked.stop();
  }
}

// A bounded soak of `eto env serve alfworld` as a real child process on loopback: 200 sessions opened and
// closed in 5 waves of 40 concurrent clients, ≥ 20,000 steps in all. Memory must stay flat after the first
// wave (RSS growth < 20 MB, read from the server's own /stats) and every session must be freed.
import { afterAll, describe, expect, it } from 'vitest';
import { playAlfworldSession, startServer, type ServedEnv } from '../src/env/agentgym/test-helpers.ts';
import { Rng } from '../src/rng.ts';

const WAVES = 5;
const CLIENTS = 40;
const STEPS_PER_SESSION = 100;

interface Stats {
  open: number;
  created: number;
  closed: number;
  expired: number;
  requests: number;
  errors: number;
  rssBytes: number;
}

let served: ServedEnv | undefined;
afterAll(() => served?.stop());

describe('eto env serve soak', () => {
  it('holds 200 sessions over 20,000 steps with flat memory and frees every session', async () => {
    served = await startServer(['alfworld', '--max-sessions', String(CLIENTS)], 30_000, ['--expose-gc']);
    const base = served.baseUrl;
    // RSS is read after a full collection, so the figure is what the server retains, not when V8 last collected
    const stats = async (): Promise<Stats> => (await (await fetch(`${base}/stats?gc=1`)).json()) as Stats;
    const rng = new Rng(13);
    const rss: number[] = [];
    let steps = 0;
    const started = performance.now();
    for (let wave = 0; wave < WAVES; wave++) {
      const clients = Array.from({ length: CLIENTS }, (_, c) => {
        const own = rng.fork(wave * CLIENTS + c);
        return playAlfworldSession(base, STEPS_PER_SESSION, (wave * CLIENTS + c) * 7, (n) => own.int(n));
      });
      steps += (await Promise.all(clients)).reduce((sum, c) => sum + c.steps, 0);
      const now = await stats();
      expect(now.open).toBe(0);
      rss.push(now.rssBytes);
    }
    const seconds = (performance.now() - started) / 1000;
    const final = await stats();
    const growthMb = (Math.max(...rss.slice(1)) - (rss[0] as number)) / 2 ** 20;
    console.log(JSON.stringify({ sessions: final.created, steps, seconds: +seconds.toFixed(1), stepsPerSecond: Math.round(steps / seconds),
      rssMb: rss.map((b) => +(b / 2 ** 20).toFixed(1)), growthMb: +growthMb.toFixed(1), requests: final.requests, errors: final.errors }));
    expect(steps).toBeGreaterThanOrEqual(20_000);
    expect(final).toMatchObject({ open: 0, created: WAVES * CLIENTS, closed: WAVES * CLIENTS, errors: 0 });
    expect(growthMb).toBeLessThan(20);
  }, 180_000);
});

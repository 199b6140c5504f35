// `npm run bench -- env [--seconds S] [--only NAME]`: raw env speed, one JSON line per registered env:
// steps/s of random admissible actions (one thread; resets are timed apart), then every
// bench/env-extra/*.ts file's exported run(args), so other envs can add cases without editing this file.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { envNames, getEnv } from '../src/env/registry.ts';
import { Rng } from '../src/rng.ts';

const here = dirname(fileURLToPath(import.meta.url));

async function speed(name: string, seconds: number): Promise<Record<string, unknown>> {
  const module = await getEnv(name);
  const env = module.create();
  const splits = module.splits();
  const rng = new Rng(1);
  let steps = 0;
  let resets = 0;
  let stepMs = 0;
  let resetMs = 0;
  let invalid = 0;
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    const split = rng.pick(splits);
    const t0 = performance.now();
    let info = env.reset({ split: split.name, task: rng.int(split.size) }).info;
    const t1 = performance.now();
    resetMs += t1 - t0;
    resets += 1;
    // Batches of 50 steps between clock reads keep timer overhead out of the figure.
    for (let done = false, i = 0; !done && i < 50; i++) {
      const valid = info.validActions;
      const action = valid && valid.length > 0 ? (valid[rng.int(valid.length)] as string) : 'look';
      const result = env.step(action);
      if (result.info.invalidAction) invalid += 1;
      steps += 1;
      info = result.info;
      done = result.terminated || result.truncated;
    }
    stepMs += performance.now() - t1;
  }
  return {
    bench: 'env',
    env: name,
    steps,
    stepsPerSecond: Math.round(steps / (stepMs / 1000)),
    resetsPerSecond: Math.round(resets / (resetMs / 1000)),
    invalidShare: Number((invalid / Math.max(1, steps)).toFixed(3)),
  };
}

export async function run(args: string[]): Promise<void> {
  const at = args.indexOf('--seconds');
  const seconds = at >= 0 ? Number(args[at + 1]) : 3;
  const only = args.indexOf('--only') >= 0 ? args[args.indexOf('--only') + 1] : undefined;
  for (const name of envNames()) {
    if (only !== undefined && name !== only) continue;
    await speed(name, Math.min(seconds, 0.3)); // warm-up: JIT, caches
    console.log(JSON.stringify(await speed(name, seconds)));
  }
  const extras = readdirSync(join(here, 'env-extra')).filter((file) => file.endsWith('.ts')).sort();
  for (const file of extras) {
    if (only !== undefined && !file.startsWith(only)) continue;
    const extra = (await import(pathToFileURL(join(here, 'env-extra', file)).href)) as { run?(args: string[]): Promise<void> };
    if (typeof extra.run === 'function') await extra.run([]);
  }
}

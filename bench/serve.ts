// `npm run bench -- serve [--clients 64] [--requests 256] [--seconds 60] [--max-tokens 32] [--model DIR]
//   [--max-model-len N]`:
// closed-loop load on `eto serve` (each client sends its next request when the last one returns), once with
// batching (--max-batch = clients) and once without (--max-batch 1). Bounded by request count and by time.
// Prints one JSON line per mode: requests/s, generated tokens/s, p50/p99 latency, and the batched/unbatched ratio.
// --max-model-len caps each sequence's positions (eto serve's flag), which a pretrained model's long window needs
// for 64 KV caches to fit: e.g. --model .cache/models/smollm2/hf-f32 --max-model-len 256.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { round } from './stats.ts';

interface Options {
  clients: number; requests: number; seconds: number; maxTokens: number; model: string; maxModelLen?: string;
}

function parseArgs(args: string[]): Options {
  const o: Options = {
    clients: 64, requests: 256, seconds: 60, maxTokens: 32,
    model: fileURLToPath(new URL('../checkpoints/alfworld-small-sft', import.meta.url)),
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[++i]!;
    if (flag === '--clients') o.clients = Number(value);
    else if (flag === '--requests') o.requests = Number(value);
    else if (flag === '--seconds') o.seconds = Number(value);
    else if (flag === '--max-tokens') o.maxTokens = Number(value);
    else if (flag === '--model') o.model = value;
    else if (flag === '--max-model-len') o.maxModelLen = value;
    else throw new Error(`unknown serve argument ${flag}`);
  }
  return o;
}

const etoBin = fileURLToPath(new URL('../bin/eto.js', import.meta.url));

async function startServer(o: Options, maxBatch: number): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [etoBin, 'serve', '--model', o.model, '--port', '0',
    '--max-batch', String(maxBatch), '--max-queue', '1024',
    ...(o.maxModelLen ? ['--max-model-len', o.maxModelLen] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /(http:\/\/\S+\/v1)/.exec(out)?.[1];
      if (found) resolve(found);
    });
    child.on('exit', (code) => reject(new Error(`eto serve exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

async function load(url: string, o: Options): Promise<Record<string, number>> {
  const name = (await (await fetch(`${url}/models`)).json() as { data: { id: string }[] }).data[0]!.id;
  const latencies: number[] = [];
  let tokens = 0;
  let sent = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + o.seconds * 1000;
  const client = async (c: number): Promise<void> => {
    while (sent < o.requests && performance.now() < deadline) {
      const k = sent++;
      const begin = performance.now();
      const response = await fetch(`${url}/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: name, temperature: 0.8, seed: k, max_tokens: o.maxTokens,
          messages: [{ role: 'user', content:
            `You are in the middle of a room. Your task is to: put a mug in cabinet ${c}.` }],
        }),
      });
      const body = await response.json() as { usage?: { completion_tokens: number } };
      if (!response.ok || !body.usage) errors++;
      else {
        tokens += body.usage.completion_tokens;
        latencies.push(performance.now() - begin);
      }
    }
  };
  await Promise.all(Array.from({ length: o.clients }, (_, c) => client(c)));
  const seconds = (performance.now() - start) / 1000;
  type Health = { steps: number; tokens: number; largestBatch: number };
  const health = await (await fetch(`${url.replace(/\/v1$/, '')}/health`)).json() as Health;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length, errors, seconds: round(seconds, 2),
    requestsPerSecond: round(latencies.length / seconds, 2), tokensPerSecond: round(tokens / seconds, 1),
    p50LatencyMs: round(percentile(latencies, 0.5), 1), p99LatencyMs: round(percentile(latencies, 0.99), 1),
    meanBatch: round(health.tokens / Math.max(1, health.steps), 1), largestBatch: health.largestBatch,
  };
}

export async function run(args: string[]): Promise<void> {
  const o = parseArgs(args);
  const results: Record<string, Record<string, number>> = {};
  for (const [mode, maxBatch] of [['batched', o.clients], ['unbatched', 1]] as const) {
    const server = await startServer(o, maxBatch);
    try {
      results[mode] = await load(server.url, o);
    } finally {
      server.stop();
    }
    const line = { bench: 'serve', mode, maxBatch, clients: o.clients, maxTokens: o.maxTokens, ...results[mode] };
    console.log(JSON.stringify(line));
  }
  const ratio = results.batched!.tokensPerSecond! / results.unbatched!.tokensPerSecond!;
  console.log(JSON.stringify({ bench: 'serve', batchedOverUnbatchedTokensPerSecond: round(ratio, 2), goal: 4 }));
}

// `eto serve --model DIR`: an OpenAI-compatible HTTP server for a checkpoint (GET /v1/models,
// POST /v1/chat/completions, POST /v1/completions), with continuous batching. Runs until SIGINT/SIGTERM.
import { randomInt } from 'node:crypto';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { createEngine, ENGINE_MEMORY_BYTES } from '../../engine/index.ts';
import { ConfigError } from '../../errors.ts';
import { headDim, type LlamaConfig } from '../../model/config.ts';
import { openModel } from '../../model/policy-model.ts';
import { ContinuousBatcher } from '../../serve/batcher.ts';
import { createOpenAiServer } from '../../serve/server.ts';
import type { ServedModel } from '../../serve/served-model.ts';
import { tokenTable } from '../../serve/token-bytes.ts';
import { integerFlag } from './stage-helpers.ts';

interface ServeFlags {
  model: string; host: string; port: string; servedName?: string; maxQueue: string; maxBatch: string;
  maxBodyBytes: string; threads?: string; maxModelLen?: string;
}

async function serve(flags: ServeFlags): Promise<void> {
  const port = integerFlag('--port', flags.port, 8000, 0);
  if (port > 65535) throw new ConfigError('--port', `expected 0..65535, got "${flags.port}"`);
  const maxBatch = integerFlag('--max-batch', flags.maxBatch, 32, 1);
  const maxQueue = integerFlag('--max-queue', flags.maxQueue, 256, 1);
  const maxBodyBytes = integerFlag('--max-body-bytes', flags.maxBodyBytes, 4 << 20, 1);
  const threads = integerFlag('--threads', flags.threads, 0, 0);
  const engine = await createEngine(threads > 0 ? { threads } : {});
  const { model, tokenizer, chat } = openModel(engine, flags.model, { grads: false });
  const contextLength = contextFlag(flags.maxModelLen, model.config, maxBatch, ENGINE_MEMORY_BYTES - engine.mark());
  let counter = 0;
  const served: ServedModel = {
    name: flags.servedName ?? basename(resolve(flags.model)),
    model, tokenizer, chat, tokens: tokenTable(tokenizer),
    batcher: new ContinuousBatcher(model, { maxBatch, maxQueue, contextLength, stopTokenIds: [...chat.stopTokenIds] }),
    deps: {
      now: () => Math.floor(Date.now() / 1000),
      freshSeed: () => randomInt(2 ** 31),
      nextId: () => `${Date.now().toString(36)}${(counter++).toString(36)}`,
    },
  };
  const server = createOpenAiServer(served, { maxBodyBytes });
  await new Promise<void>((done, fail) => {
    server.once('error', (error) => {
      fail(new ConfigError('--port', `cannot listen on ${flags.host}:${port}: ${error.message}`));
    });
    server.listen(port, flags.host, done);
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  // one line on stdout, for scripts (and tests) that start the server on port 0
  process.stdout.write(`eto serve: ${served.name} on http://${flags.host}:${bound}/v1 ` +
    `(max batch ${maxBatch}, queue ${maxQueue}, context ${contextLength})\n`);
  await new Promise<void>((done) => {
    const stop = (): void => {
      server.close(() => done());
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  engine.dispose();
}

// --max-model-len: positions per sequence, so that max-batch KV caches of that length fit the engine's memory
function contextFlag(value: string | undefined, config: LlamaConfig, slots: number, freeBytes: number): number {
  const most = config.maxPositionEmbeddings;
  const length = integerFlag('--max-model-len', value, most, 2);
  if (length > most) {
    throw new ConfigError('--max-model-len', `expected at most the model's ${most} positions, got ${length}`);
  }
  const bytesPerPosition = config.numHiddenLayers * 2 * config.numKeyValueHeads * headDim(config) * 4;
  // the cache may take half of what is free; prefill and decode scratch need the rest
  const fitting = Math.floor(freeBytes / 2 / (slots * bytesPerPosition));
  if (length > fitting) {
    throw new ConfigError('--max-model-len',
      `${slots} KV caches of ${length} positions need ${gib(slots * length * bytesPerPosition)} GiB, more than half ` +
      `of the engine's ${gib(freeBytes)} GiB left beside the weights; pass --max-model-len ${Math.max(2, fitting)} ` +
      'or less, or a smaller --max-batch');
  }
  return length;
}

const gib = (bytes: number): string => (bytes / 2 ** 30).toFixed(2);

export function register(program: Command): void {
  program
    .command('serve')
    .summary('serve a checkpoint over an OpenAI-compatible HTTP API')
    .description('OpenAI-compatible server for a checkpoint: GET /v1/models, POST /v1/chat/completions (streaming, ' +
      'n, seed, stop, logprobs), POST /v1/completions (echo + logprobs for scoring); concurrent requests share batches')
    .requiredOption('--model <dir>', 'checkpoint directory')
    .option('--host <host>', 'address to listen on (loopback by default; 0.0.0.0 exposes it)', '127.0.0.1')
    .option('--port <n>', 'port (0 = any free port, printed on stdout)', '8000')
    .option('--served-name <name>', 'model name clients send (default: the directory name)')
    .option('--max-batch <n>', 'most sequences decoded together', '32')
    .option('--max-queue <n>', 'most sequences waiting for a batch slot; beyond it requests get 429', '256')
    .option('--max-body-bytes <n>', 'largest request body accepted (413 beyond)', String(4 << 20))
    .option('--max-model-len <n>', 'positions per sequence, prompt + completion (like vLLM\'s); the KV cache ' +
      'holds max-batch sequences of this length (default: the model\'s max_position_embeddings)')
    .option('--threads <n>', 'worker threads (default: all cores)')
    .action(serve);
}

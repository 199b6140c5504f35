// `eto env list|play|expert|stats|tasks|serve`: generic over every registered env (they only register a module).
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { runScriptedEpisode } from '../../agent/episode.ts';
import { writeJsonlAtomic } from '../../data/jsonl.ts';
import type { Trajectory } from '../../data/schemas.ts';
import { ConfigError, EnvError } from '../../errors.ts';
import { protocolFor, serve } from '../../env/agentgym/server.ts';
import { envNames, getEnv } from '../../env/registry.ts';
import { splitTaskList, taskLine, taskListHash } from '../../env/task-list.ts';
import type { Env, EnvModule, StepResult } from '../../env/types.ts';
import { integerFlag } from './stage-helpers.ts';

function splitOf(module: EnvModule, name: string | undefined): { name: string; size: number } {
  const splits = module.splits();
  const split = name === undefined ? splits.find((s) => s.role === 'train') ?? splits[0] : splits.find((s) => s.name === name);
  if (!split) throw new ConfigError('--split', `unknown split "${name}" for ${module.name}; known: ${splits.map((s) => s.name).join(', ')}`);
  return split;
}

function line(result: StepResult): string {
  return JSON.stringify({ observation: result.observation, reward: result.reward, done: result.terminated || result.truncated, validActions: result.info.validActions ?? null });
}

async function play(env: Env, module: EnvModule, options: { split?: string; task?: string; seed?: string; actions?: string }): Promise<void> {
  const split = splitOf(module, options.split);
  const task = integerFlag('--task', options.task, 0, 0);
  if (task >= split.size) throw new ConfigError('--task', `task ${task} is outside split ${split.name} (0..${split.size - 1})`);
  const reset = env.reset({ split: split.name, task, seed: integerFlag('--seed', options.seed, 0, 0) });
  if (options.actions !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.actions, 'utf8');
    } catch (error) {
      throw new ConfigError('--actions', `cannot read ${options.actions}: ${(error as Error).message}`);
    }
    process.stdout.write(`${JSON.stringify({ observation: reset.observation, reward: 0, done: false, validActions: reset.info.validActions ?? null })}\n`);
    for (const action of text.split('\n').filter((a) => a.trim() !== '')) {
      const result = env.step(action);
      process.stdout.write(`${line(result)}\n`);
      if (result.terminated || result.truncated) break;
    }
    return;
  }
  process.stdout.write(`${reset.observation}\n`);
  // Reading lines (not question()) keeps piped input and end-of-input working as well as a terminal.
  const terminal = createInterface({ input: process.stdin, terminal: false });
  let info = reset.info;
  process.stdout.write('(type "help" for the admissible commands, Ctrl-D to quit)\n> ');
  try {
    for await (const action of terminal) {
      if (action.trim() === 'help') {
        process.stdout.write(`${(info.validActions ?? ['(this env does not list its commands)']).join('\n')}\n> `);
        continue;
      }
      const result = env.step(action);
      info = result.info;
      process.stdout.write(`${result.observation}\n`);
      if (result.terminated || result.truncated) {
        process.stdout.write(`[episode over: reward ${result.reward}${result.info.won ? ', won' : ''}]\n`);
        return;
      }
      process.stdout.write('> ');
    }
  } finally {
    terminal.close();
  }
}

interface ServeFlags {
  host: string;
  port: string;
  split?: string;
  protocol?: string;
  web?: boolean;
  maxSessions?: string;
  sessionTtlS?: string;
}

function sessionLimits(options: ServeFlags): { maxSessions?: number; sessionTtlS?: number; now?: () => number } {
  const limits: { maxSessions?: number; sessionTtlS?: number; now?: () => number } = {};
  if (options.maxSessions !== undefined) limits.maxSessions = integerFlag('--max-sessions', options.maxSessions, 0, 1);
  if (options.sessionTtlS !== undefined) {
    const ttl = Number(options.sessionTtlS);
    if (!Number.isFinite(ttl) || ttl <= 0) throw new ConfigError('--session-ttl-s', `expected a positive number of seconds, got "${options.sessionTtlS}"`);
    limits.sessionTtlS = ttl;
    limits.now = () => Date.now();
  }
  return limits;
}

export function register(program: Command): void {
  const env = program.command('env').description('benchmark environments: list, play, expert data, stats, AgentGym server');

  env
    .command('list')
    .description('list registered envs and their splits')
    .action(async () => {
      for (const name of envNames()) {
        const module = await getEnv(name);
        const splits = module.splits().map((s) => `${s.name}=${s.size}`).join(' ');
        process.stdout.write(`${name}\t${splits}\t${module.description}\n`);
      }
    });

  env
    .command('play <name>')
    .description('play one task: interactive in a terminal, or --actions FILE → JSON lines {observation,reward,done,validActions}')
    .option('--split <split>', 'split name (default: the train split)')
    .option('--task <n>', 'task index in the split', '0')
    .option('--seed <n>', 'reset seed', '0')
    .option('--actions <file>', 'one action per line; prints one JSON line per step')
    .action(async (name: string, options: { split?: string; task?: string; seed?: string; actions?: string }) => {
      const module = await getEnv(name);
      await play(module.create(), module, options);
    });

  env
    .command('expert <name>')
    .description('write expert trajectories (Trajectory JSONL) for tasks of a split')
    .option('--split <split>', 'split name (default: the train split)')
    .option('--limit <k>', 'first K tasks only')
    .option('--seed <n>', 'expert seed (thought wording)', '0')
    .requiredOption('--out <file>', 'output JSONL file')
    .action(async (name: string, options: { split?: string; limit?: string; seed?: string; out: string }) => {
      const module = await getEnv(name);
      const split = splitOf(module, options.split);
      const count = Math.min(split.size, integerFlag('--limit', options.limit, split.size, 0));
      const seed = integerFlag('--seed', options.seed, 0, 0);
      const instance = module.create();
      const trajectories: Trajectory[] = [];
      for (let task = 0; task < count; task++) {
        trajectories.push(
          runScriptedEpisode(module, instance, { split: split.name, task }, (e, reset) => module.createExpert(e, reset, seed * 1_000_003 + task), {
            id: `${name}/${split.name}/${task}/expert`,
            source: 'expert',
            iteration: 0,
            policy: 'expert',
          }),
        );
      }
      writeJsonlAtomic(options.out, trajectories);
      const wins = trajectories.filter((t) => t.success).length;
      const mean = trajectories.reduce((sum, t) => sum + t.steps, 0) / Math.max(1, trajectories.length);
      process.stdout.write(`wrote ${trajectories.length} trajectories to ${options.out}: success ${wins}/${trajectories.length}, mean ${mean.toFixed(2)} steps\n`);
    });

  env
    .command('stats <name>')
    .description('tasks per split (and per task type, when the env reports one)')
    .option('--limit <k>', 'inspect at most K tasks per split (default all)')
    .action(async (name: string, options: { limit?: string }) => {
      const module = await getEnv(name);
      const instance = module.create();
      for (const split of module.splits()) {
        const count = Math.min(split.size, integerFlag('--limit', options.limit, split.size, 0));
        const byType = new Map<string, number>();
        for (let task = 0; task < count; task++) {
          const type = instance.reset({ split: split.name, task }).info.taskType;
          const key = typeof type === 'string' ? type : '(all)';
          byType.set(key, (byType.get(key) ?? 0) + 1);
        }
        const types = [...byType].sort().map(([type, n]) => `${type}=${n}`).join(' ');
        process.stdout.write(`${split.name}\t${split.role}${split.generalisation ? `/${split.generalisation}` : ''}\t${split.size}\t${types}\n`);
      }
    });

  env
    .command('tasks <name>')
    .description('the fixed task list of each split ("id<TAB>digest" per task) and its sha256, as summary.json records it')
    .option('--split <split>', 'one split only (default: every split)')
    .option('--count <n>', 'the first N tasks of each split (default all)')
    .option('--json', 'one JSON object per split: {split, tasks, hash, entries}')
    .action(async (name: string, options: { split?: string; count?: string; json?: boolean }) => {
      const module = await getEnv(name);
      const splits = options.split === undefined ? module.splits() : [splitOf(module, options.split)];
      const count = options.count === undefined ? undefined : integerFlag('--count', options.count, 0, 1);
      for (const split of splits) {
        const entries = splitTaskList(module, split.name, count);
        const hash = taskListHash(entries);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ split: split.name, tasks: entries.length, hash, entries })}\n`);
        } else {
          for (const entry of entries) process.stdout.write(`${taskLine(entry)}\n`);
          process.stdout.write(`# ${name} ${split.name}: ${entries.length} tasks, sha256 ${hash}\n`);
        }
      }
    });

  env
    .command('serve <name>')
    .description('serve the env over the AgentGym HTTP protocol (ALFWorld, WebShop or SciWorld flavour)')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port (0: any free port)', '8000')
    .option('--split <split>', 'index only this split (default: all listed splits in order)')
    .option('--protocol <name>', 'alfworld | webshop | sciworld (default: by env name)')
    .option('--web', 'also serve the env\'s human web pages, when it has them')
    .option('--max-sessions <n>', 'cap on live sessions; /create answers 429 when full (default: no cap)')
    .option('--session-ttl-s <s>', 'free sessions idle for this many seconds (default: never)')
    .action(async (name: string, options: ServeFlags) => {
      const module = await getEnv(name);
      const protocol = options.protocol ?? protocolFor(name);
      if (protocol !== 'alfworld' && protocol !== 'webshop' && protocol !== 'sciworld') {
        throw new ConfigError('--protocol', `expected alfworld, webshop or sciworld, got "${protocol}"`);
      }
      if (options.split !== undefined) splitOf(module, options.split);
      const port = integerFlag('--port', options.port, 8000, 0);
      if (port > 65535) throw new ConfigError('--port', `expected 0..65535, got ${port}`);
      const started = await serve(module, {
        host: options.host,
        port,
        protocol,
        ...(options.split === undefined ? {} : { split: options.split }),
        web: options.web === true,
        ...sessionLimits(options),
      }).catch((error: Error) => {
        throw new EnvError(`cannot listen on ${options.host}:${port}: ${error.message}`);
      });
      process.stdout.write(`serving ${name} (AgentGym ${protocol} protocol) on http://${started.host}:${started.port}\n`);
      await new Promise<void>((resolve) => started.server.once('close', () => resolve()));
    });
}

// A scripted "model" for remote-policy tests: an OpenAI-compatible loopback server that plays an env's
// scripted expert. It knows the expert's replies of the first tasks of some splits, finds the task in a
// request by its task message, and answers the expert's next reply (turn = assistant turns after the task
// message). On every third task (by task message hash) it gives up after two expert turns and only looks
// around, so results are mixed.
// Requests are counted per task message: the tests' proof that no finished episode is requested twice.
import type { Message } from '../../src/data/schemas.ts';
import { runScriptedEpisode } from '../../src/agent/episode.ts';
import type { EnvModule } from '../../src/env/types.ts';
import { hashString } from '../../src/rng.ts';
import { startTestServer, type TestServer } from './openai-test-server.ts';

const LOST_REPLY = 'Thought: I am not sure what to do.\nAction: look';
const TURNS_BEFORE_LOST = 2;

/** Task message → the expert's assistant replies, for the first `count` tasks of each split. */
export function expertReplies(module: EnvModule, splits: Record<string, number>, seed: number): Map<string, string[]> {
  const env = module.create();
  const replies = new Map<string, string[]>();
  for (const [split, count] of Object.entries(splits)) {
    for (let task = 0; task < count; task++) {
      const trajectory = runScriptedEpisode(module, env, { split, task, seed }, (e, reset) => module.createExpert(e, reset, seed), {
        id: `${split}-${task}`,
        source: 'expert',
        iteration: 0,
        policy: 'expert',
      });
      replies.set(trajectory.messages[2]?.content ?? '', trajectory.messages.slice(3).filter((m) => m.role === 'assistant').map((m) => m.content));
    }
  }
  return replies;
}

export interface ExpertServer extends TestServer {
  /** Requests per task message. */
  perTask(taskMessage: string): number;
}

export async function startExpertServer(replies: Map<string, string[]>, delayMs = 0): Promise<ExpertServer> {
  const taskOf = (messages: Message[]): { task: string; turn: number } => {
    const at = messages.findIndex((m) => m.role === 'user' && replies.has(m.content));
    if (at < 0) return { task: '', turn: 0 };
    return { task: messages[at]?.content ?? '', turn: messages.slice(at).filter((m) => m.role === 'assistant').length };
  };
  const server = await startTestServer({
    model: 'expert-7b',
    delayMs,
    key: (messages) => taskOf(messages).task,
    reply: (messages) => {
      const { task, turn } = taskOf(messages);
      const script = replies.get(task) ?? [];
      if (hashString(task) % 3 === 0 && turn >= TURNS_BEFORE_LOST) return LOST_REPLY;
      return script[turn] ?? LOST_REPLY;
    },
  });
  return { ...server, perTask: (task) => server.requests.get(task) ?? 0 };
}

// Text for the tokenizer/template/forward parity tests: expert conversations from every env, plus seeded
// synthetic strings that stress tokenizers (Unicode, whitespace runs, digits, special-token strings).
import { runScriptedEpisode } from '../../src/agent/episode.ts';
import type { Trajectory } from '../../src/data/schemas.ts';
import { envNames, getEnv } from '../../src/env/registry.ts';

/** `perEnv` expert trajectories of each env's training split, tasks 0.. in order. */
export async function expertConversations(perEnv: number): Promise<Trajectory[]> {
  const out: Trajectory[] = [];
  for (const name of envNames()) {
    const module = await getEnv(name);
    const env = module.create();
    const train = module.splits().find((s) => s.role === 'train');
    if (!train) continue;
    for (let task = 0; task < Math.min(perEnv, train.size); task++) {
      out.push(
        runScriptedEpisode(
          module,
          env,
          { split: train.name, task },
          (e, reset) => module.createExpert(e, reset, task),
          {
            id: `${name}/${train.name}/${task}/expert`,
            source: 'expert',
            iteration: 0,
            policy: 'expert',
          },
        ),
      );
    }
  }
  return out;
}

const PIECES = [
  'a',
  'Ab',
  ' ',
  '  ',
  '   ',
  '\t',
  '\n',
  '\n\n',
  '\r\n',
  ' \n ',
  '0',
  '7',
  '42',
  '2024',
  '3.14159',
  '-1e-5',
  '1,000,000',
  'é',
  'ñ',
  'ü',
  'ß',
  'Ω',
  'ж',
  '中文',
  '日本語',
  '한국어',
  'עברית',
  'عربي',
  'हिन्दी',
  '🙂',
  '👩‍💻',
  '🇫🇷',
  '\u200b',
  '\u00a0',
  'ﬁ',
  "'s",
  "'ll",
  "n't",
  'ABC',
  'go to',
  'put',
  '>',
  '<',
  '<|',
  '|>',
  '```',
  '{"k": [1, 2]}',
  '\\n',
  '...',
  '—',
  '“q”',
  '<|im_start|>',
  '<|im_end|>',
  '<|endoftext|>',
  '<file_sep>',
  '<jupyter_code>',
  '<|im_start|>user\n',
  'Thought:',
  'Action:',
];

/** Deterministic strings of 1–12 random pieces (a small LCG keeps this independent of src/rng.ts). */
export function syntheticStrings(count: number, seed = 7): string[] {
  let state = seed >>> 0;
  const next = (n: number): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
  return Array.from({ length: count }, () => {
    const length = 1 + next(12);
    return Array.from({ length }, () => PIECES[next(PIECES.length)] as string).join('');
  });
}

/** ≥ `minimum` strings: every message of the expert conversations, then synthetic ones to fill up. */
export async function parityStrings(perEnv: number, minimum: number): Promise<string[]> {
  const messages = (await expertConversations(perEnv)).flatMap((t) => t.messages.map((m) => m.content));
  const unique = [...new Set(messages)];
  return [...unique, ...PIECES, ...syntheticStrings(Math.max(2000, minimum - unique.length - PIECES.length))];
}

// A compiled chat template rendered with transformers' conventions: `messages`, `add_generation_prompt`,
// the special tokens (bos_token, eos_token, ...), `tools`/`documents` = None, `raise_exception` and
// `strftime_now`. `{% generation %}` blocks are tracked: @huggingface/jinja 0.5.11 parses the tags but drops them,
// so they are rewritten to emit two noncharacters around the block, whose positions give the spans.
import { Environment, Interpreter, Template } from '@huggingface/jinja';
import type { Message } from '../data/schemas.ts';
import { strftime } from './strftime.ts';
import { raiseLine, syntaxErrorLine, templateError } from './template-errors.ts';
import type { ChatTemplateSource } from './template-source.ts';

/** [start, end) character offsets into a rendered text. */
export interface CharSpan {
  start: number;
  end: number;
}

export interface RenderedChat {
  text: string;
  /** The text each `{% generation %}` block produced (empty when the template has none). */
  generationSpans: CharSpan[];
}

export interface ChatTemplate {
  readonly source: ChatTemplateSource;
  readonly hasGenerationBlocks: boolean;
  render(messages: readonly Message[], addGenerationPrompt: boolean): RenderedChat;
}

export interface CompileOptions {
  /** The clock for strftime_now; without it strftime_now is undefined (templates then use their own default). */
  now?: () => Date;
}

const OPEN = '\uFDD0'; // Unicode noncharacters: never in real text, so safe as markers
const CLOSE = '\uFDD1';
const GENERATION_TAG = /{%(-?)\s*(end)?generation\s*(-?)%}/g;
const HAS_GENERATION = /{%-?\s*generation\s*-?%}/;

class TemplateRaised extends Error {}

export function compileChatTemplate(source: ChatTemplateSource, options: CompileOptions = {}): ChatTemplate {
  const hasGenerationBlocks = HAS_GENERATION.test(source.template);
  // an always-true {% if %} keeps the tag's whitespace control and trim/lstrip_blocks behaviour
  const rewritten = source.template.replace(GENERATION_TAG, (_tag, left: string, end: string | undefined, right: string) =>
    `{%${left} if true %}{{ '${end ? CLOSE : OPEN}' }}{% endif ${right}%}`);
  let compiled: Template;
  try {
    compiled = new Template(rewritten);
  } catch (error) {
    const message = (error as Error).message;
    throw templateError(source.file, syntaxErrorLine(source.template, message), message);
  }
  const now = options.now;
  // Template.render declares its own raise_exception (message lost) and a strftime_now reading the clock, and
  // globals cannot be redeclared: so the environment is built here, with the same constants and range().
  const globals: Record<string, unknown> = {
    true: true, false: false, none: null, True: true, False: false, None: null,
    range,
    raise_exception: (message: unknown): never => {
      throw new TemplateRaised(String(message));
    },
    ...(now ? { strftime_now: (format: string): string => strftime(now(), format) } : {}),
    ...source.specialTokens,
    tools: null,
    documents: null,
  };
  return {
    source,
    hasGenerationBlocks,
    render(messages, addGenerationPrompt) {
      for (const m of messages) {
        if (m.content.includes(OPEN) || m.content.includes(CLOSE)) {
          throw templateError(source.file, undefined, 'a message contains U+FDD0/U+FDD1, reserved as span markers');
        }
      }
      let raw: string;
      try {
        const env = new Environment();
        const variables = {
          ...globals,
          messages: messages.map((m) => ({ role: m.role, content: m.content })),
          add_generation_prompt: addGenerationPrompt,
        };
        for (const [name, value] of Object.entries(variables)) env.set(name, value);
        raw = String(new Interpreter(env).run(compiled.parsed).value);
      } catch (error) {
        const message = (error as Error).message;
        const line = error instanceof TemplateRaised ? raiseLine(source.template, message) : undefined;
        throw templateError(source.file, line, `rendering failed: ${message}`);
      }
      return stripMarkers(raw);
    },
  };
}

/** Python's range(stop) / range(start, stop[, step]). */
function range(start: number, stop?: number, step = 1): number[] {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0) throw new Error('range() arg 3 must not be zero');
  const out: number[] = [];
  for (let i = from; step > 0 ? i < to : i > to; i += step) out.push(i);
  return out;
}

function stripMarkers(raw: string): RenderedChat {
  const generationSpans: CharSpan[] = [];
  let text = '';
  let open: number | undefined;
  for (const piece of raw.split(/([\uFDD0\uFDD1])/)) {
    if (piece === OPEN) open = text.length;
    else if (piece === CLOSE) {
      if (open !== undefined && text.length > open) generationSpans.push({ start: open, end: text.length });
      open = undefined;
    } else text += piece;
  }
  return { text, generationSpans };
}

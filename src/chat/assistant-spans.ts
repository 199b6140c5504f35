// Where each assistant turn sits in a rendered conversation, as character spans of the text.
// With `{% generation %}` blocks the spans are what the blocks produced (transformers' rule). Without them each
// assistant content is located by rendering once more with that content swapped for a sentinel: the text before
// and after the sentinel must match the real render, so the content's span is what lies between. (Diffing
// prefix renders, messages[0..k], is not enough: Qwen3 adds an empty <think> block to whichever assistant turn is
// last, so a prefix render is not a prefix of the full one.) The span is then extended over the end-of-turn text
// that follows the content (optional whitespace, then a stop token such as <|im_end|> or <|eot_id|>): ETO trains
// the model to stop, and eto's own encodeChat scores each assistant content and its <|end|> the same way.
import type { Message } from '../data/schemas.ts';
import type { CharSpan, ChatTemplate } from './chat-template.ts';
import { templateError } from './template-errors.ts';

export interface AssistantSpan extends CharSpan {
  /** Index of the assistant message in `messages`. */
  message: number;
}

export interface RenderedTurns {
  text: string;
  spans: AssistantSpan[];
}

const SENTINEL = '\uFDD2\uFDD3';

/**
 * The rendered conversation (no generation prompt) and one span per assistant message (in order).
 * `endOfTurn` lists the texts that can close a turn (the stop tokens' texts).
 */
export function assistantSpans(template: ChatTemplate, messages: readonly Message[],
  endOfTurn: readonly string[]): RenderedTurns {
  const rendered = template.render(messages, false);
  const text = rendered.text;
  const assistantIndices = messages.flatMap((m, i) => (m.role === 'assistant' ? [i] : []));
  if (template.hasGenerationBlocks) {
    if (rendered.generationSpans.length !== assistantIndices.length) {
      const counts = `${rendered.generationSpans.length} generation blocks for ${assistantIndices.length} assistant messages`;
      throw templateError(template.source.file, undefined, `cannot pair spans with turns: ${counts}`);
    }
    return { text, spans: rendered.generationSpans.map((s, i) => ({ ...s, message: assistantIndices[i] as number })) };
  }
  const ends = [...endOfTurn].filter((t) => t !== '').sort((a, b) => b.length - a.length);
  const spans = assistantIndices.map((index) => {
    const content = locateContent(template, messages, index, text);
    return { message: index, start: content.start, end: extendOverEnd(text, content.end, ends) };
  });
  return { text, spans };
}

function locateContent(template: ChatTemplate, messages: readonly Message[], index: number, text: string): CharSpan {
  const swapped = messages.map((m, i) => (i === index ? { ...m, content: SENTINEL } : m));
  const probe = template.render(swapped, false).text;
  const at = probe.indexOf(SENTINEL);
  const before = probe.slice(0, at);
  const after = probe.slice(at + SENTINEL.length);
  const unique = at >= 0 && probe.indexOf(SENTINEL, at + 1) < 0;
  if (!unique || !text.startsWith(before) || !text.endsWith(after) || before.length + after.length > text.length) {
    const why = unique ? 'the template renders it differently from a placeholder' : 'it is not rendered exactly once';
    throw templateError(template.source.file, undefined, `cannot locate assistant message ${index}: ${why}`);
  }
  return { start: before.length, end: text.length - after.length };
}

/** The end of the turn: past whitespace and one end-of-turn text right after the content, when there is one. */
function extendOverEnd(text: string, contentEnd: number, ends: readonly string[]): number {
  let at = contentEnd;
  while (at < text.length && /\s/.test(text[at] as string)) at++;
  const end = ends.find((e) => text.startsWith(e, at));
  return end === undefined ? contentEnd : at + end.length;
}

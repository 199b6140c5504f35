// Added and special tokens (tokenizer.json `added_tokens`): found in the text before normalization (or after
// it, for normalized=true), leftmost-longest, honouring single_word, lstrip and rstrip; the text between
// them goes through the normalizer → pre-tokenizer → model pipeline.
import type { AddedTokenJson } from './schema.ts';
import { escapeRegex } from './regex.ts';

export type Segment = { addedId: number } | { text: string; offset: number };

const WHITE_SPACE = /^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;
const WORD_CHAR = /^[\p{Alphabetic}\p{N}_]$/u; // Rust's char::is_alphanumeric or '_'

export class AddedTokenMatcher {
  private readonly pattern: RegExp | undefined;
  private readonly byContent = new Map<string, AddedTokenJson>();

  constructor(tokens: readonly AddedTokenJson[]) {
    for (const token of tokens) this.byContent.set(token.content, token);
    // longest first: JS alternation is leftmost-first, so this gives the leftmost-longest match
    const contents = [...this.byContent.keys()].sort((a, b) => b.length - a.length);
    this.pattern = contents.length ? new RegExp(contents.map(escapeRegex).join('|'), 'gu') : undefined;
  }

  /** Cuts `text` (at `offset` in the input) into added-token segments and the text between them. */
  split(text: string, offset = 0): Segment[] {
    if (!this.pattern || text === '') return [{ text, offset }];
    const out: Segment[] = [];
    let done = 0; // end of the last segment emitted
    for (const match of text.matchAll(this.pattern)) {
      const token = this.byContent.get(match[0]) as AddedTokenJson;
      let start = match.index;
      let end = start + match[0].length;
      if (start < done) continue; // inside whitespace an earlier rstrip took
      if (token.single_word && (endsWithWord(text.slice(0, start)) || startsWithWord(text.slice(end)))) continue;
      if (token.lstrip) start = Math.max(done, start - trailingWhiteSpace(text.slice(0, start)));
      if (token.rstrip) end += leadingWhiteSpace(text.slice(end));
      if (start > done) out.push({ text: text.slice(done, start), offset: offset + done });
      out.push({ addedId: token.id });
      done = end;
    }
    if (done < text.length) out.push({ text: text.slice(done), offset: offset + done });
    return out;
  }
}

function endsWithWord(text: string): boolean {
  const last = Array.from(text.slice(-2)).at(-1);
  return last !== undefined && WORD_CHAR.test(last);
}

function startsWithWord(text: string): boolean {
  const first = text.codePointAt(0);
  return first !== undefined && WORD_CHAR.test(String.fromCodePoint(first));
}

/** UTF-16 length of the white space ending `text`. */
function trailingWhiteSpace(text: string): number {
  const chars = Array.from(text);
  let length = 0;
  for (let i = chars.length - 1; i >= 0 && WHITE_SPACE.test(chars[i] as string); i--) {
    length += (chars[i] as string).length;
  }
  return length;
}

function leadingWhiteSpace(text: string): number {
  let length = 0;
  for (const ch of text) {
    if (!WHITE_SPACE.test(ch)) break;
    length += ch.length;
  }
  return length;
}

// Splitting one piece of text by a pattern with HF's SplitDelimiterBehavior (what happens to the matches),
// shared by the Split, ByteLevel, Metaspace and Digits pre-tokenizers.

export type SplitBehavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';

interface Span {
  start: number;
  end: number;
  isMatch: boolean;
}

/** The pieces of `text` around the matches of the global `regex`, joined as `behavior` says. */
export function splitBy(text: string, regex: RegExp, behavior: SplitBehavior, invert = false): string[] {
  const spans: Span[] = [];
  let last = 0;
  for (const match of text.matchAll(regex)) {
    const start = match.index;
    const end = start + match[0].length;
    if (end === start) continue; // an empty match splits nothing
    if (start > last) spans.push({ start: last, end: start, isMatch: invert });
    spans.push({ start, end, isMatch: !invert });
    last = end;
  }
  if (last < text.length) spans.push({ start: last, end: text.length, isMatch: invert });
  return join(spans, behavior).map((s) => text.slice(s.start, s.end));
}

function join(spans: Span[], behavior: SplitBehavior): Span[] {
  switch (behavior) {
    case 'Isolated':
      return spans;
    case 'Removed':
      return spans.filter((s) => !s.isMatch);
    case 'MergedWithPrevious':
      return mergeInto(spans, (s, previousMatch) => s.isMatch && !previousMatch);
    case 'Contiguous':
      return mergeInto(spans, (s, previousMatch) => s.isMatch === previousMatch);
    case 'MergedWithNext': {
      // the mirror image of MergedWithPrevious: walk backwards, extend the later span's start
      const out: Span[] = [];
      let previousMatch = false;
      for (let i = spans.length - 1; i >= 0; i--) {
        const s = spans[i] as Span;
        const head = out.at(-1);
        if (s.isMatch && !previousMatch && head) head.start = s.start;
        else out.push({ ...s });
        previousMatch = s.isMatch;
      }
      return out.reverse();
    }
  }
}

/** Walks forwards; where `extends_(span, previousWasMatch)` holds, the span joins the one before it. */
function mergeInto(spans: Span[], extends_: (s: Span, previousMatch: boolean) => boolean): Span[] {
  const out: Span[] = [];
  let previousMatch = false;
  for (const s of spans) {
    const tail = out.at(-1);
    if (extends_(s, previousMatch) && tail) tail.end = s.end;
    else out.push({ ...s });
    previousMatch = s.isMatch;
  }
  return out;
}

// The text of one generated sequence as tokens arrive: where a stop string cuts it, how much of it is safe to
// stream (no half of a stop string, no half of a UTF-8 character), and which tokens the reported text covers.
import { firstStopIndex } from '../agent/local-policy.ts';
import type { TextTokenizer } from '../tokenizer/types.ts';

export class ReplyText {
  readonly ids: number[] = [];
  private text = '';
  /** index in text where the first stop string starts, −1 while none occurred */
  private cut = -1;
  private readonly longestStop: number;

  constructor(private readonly tokenizer: TextTokenizer, private readonly stops: readonly string[]) {
    this.longestStop = Math.max(0, ...stops.map((s) => s.length));
  }

  /** Appends a token; true once the text contains a stop string (generation should end). */
  push(token: number): boolean {
    this.ids.push(token);
    this.text = this.tokenizer.decode(this.ids); // whole-text decode: byte-level tokens may split characters
    if (this.cut < 0 && this.stops.length > 0) this.cut = firstStopIndex(this.text, this.stops);
    return this.cut >= 0;
  }

  get stopped(): boolean {
    return this.cut >= 0;
  }

  /** The reply: the text before the first stop string. */
  get content(): string {
    return this.cut >= 0 ? this.text.slice(0, this.cut) : this.text;
  }

  /**
   * Length of the prefix that can be streamed now: all of the content once `final`, else short of any tail that
   * may grow into a stop string and of a trailing replacement character (an incomplete UTF-8 sequence).
   */
  streamableLength(final: boolean): number {
    const content = this.content;
    if (final || this.cut >= 0) return content.length;
    let safe = content.length;
    while (safe > 0 && content[safe - 1] === '\uFFFD') safe--;
    for (let keep = Math.min(this.longestStop - 1, safe); keep > 0; keep--) {
      const tail = content.slice(safe - keep, safe);
      if (this.stops.some((stop) => stop.startsWith(tail))) return safe - keep;
    }
    return safe;
  }

  /** How many leading tokens the first `length` characters of the content need (tokens after a cut are dropped). */
  tokensFor(length: number): number {
    if (length >= this.text.length) return this.ids.length;
    for (let k = 0; k < this.ids.length; k++) {
      if (this.tokenizer.decode(this.ids.slice(0, k + 1)).length >= length && length > 0) return k + 1;
    }
    return length === 0 ? 0 : this.ids.length;
  }
}

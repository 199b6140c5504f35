// Which cached tokens a batch of prompts can reuse (pure; the prefix cache carries the plan out). Each prompt gets
// its own slot: the one whose held tokens share the longest prefix with it (an episode's previous turn). A slot
// may also borrow a longer prefix another slot holds (a new episode takes the instruction and one-shot example
// from a live one), and prompts that share a prefix nobody holds yet compute it once: a leader prompt is
// prefilled first and its followers copy the shared part.

export interface CacheCopy {
  from: number; // slot
  to: number; // slot
  start: number; // positions [start, end)
  end: number;
}

export interface PrefixPlan {
  /** Cache slot of each prompt. */
  slotOf: number[];
  /** Positions each prompt keeps from its own slot's held tokens. */
  kept: number[];
  /** Copies from other slots' held tokens, done before anything is prefilled. */
  borrowed: CacheCopy[];
  /** Prompts prefilled first, whole; then `shared` copies their prefixes to followers, which are prefilled last. */
  leaders: number[];
  shared: CacheCopy[];
  followers: number[];
  /** Positions each prompt has cached before its own prefill (kept, borrowed or shared); it prefills the rest. */
  start: number[];
}

/** A shared prefix shorter than this is recomputed rather than prefilled in a separate pass. */
export const MIN_SHARED = 16;

/** Length of the common prefix of a and b, at most `cap`. */
export function commonPrefix(a: Int32Array, b: Int32Array, cap: number): number {
  const n = Math.min(a.length, b.length, cap);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * `held[s]`: the tokens slot s holds (empty when unused). Prompts take slots where `free[s]` (default: every
 * slot); the others only lend their held tokens, which must stay valid through the call (a live sequence that
 * only appends). Every prompt keeps at least its last token to prefill (its logits start the generation).
 */
export function planPrefixes(held: readonly Int32Array[], prompts: readonly Int32Array[],
  free: readonly boolean[] = held.map(() => true)): PrefixPlan {
  const B = prompts.length;
  const freeSlots = free.filter(Boolean).length;
  if (freeSlots < B) {
    throw new RangeError(`planPrefixes: ${B} prompts need ${B} free slots, the cache has ${freeSlots}`);
  }
  const cap = prompts.map((p) => p.length - 1);
  const match = prompts.map((p, i) => held.map((h) => commonPrefix(p, h, cap[i]!)));
  // own slots: the longest matches first, one prompt per slot
  const slotOf = new Array<number>(B).fill(-1);
  const owner = new Array<number>(held.length).fill(-1);
  const pairs = prompts.flatMap((_, i) => held.map((__, s) => ({ i, s, length: match[i]![s]! })));
  pairs.sort((x, y) => y.length - x.length || x.i - y.i || x.s - y.s);
  for (const { i, s, length } of pairs) {
    if (length === 0 || slotOf[i]! >= 0 || owner[s]! >= 0 || !free[s]) continue;
    slotOf[i] = s;
    owner[s] = i;
  }
  const unowned = held.map((_, s) => s).filter((s) => owner[s]! < 0 && free[s])
    .sort((a, b) => held[a]!.length - held[b]!.length);
  for (let i = 0; i < B; i++) {
    if (slotOf[i]! >= 0) continue;
    const s = unowned.shift()!;
    slotOf[i] = s;
    owner[s] = i;
  }
  const kept = prompts.map((_, i) => match[i]![slotOf[i]!]!);
  // a slot's held tokens stay intact through the call up to what its owner keeps (all of them when unowned)
  const intact = held.map((h, s) => (owner[s]! >= 0 ? kept[owner[s]!]! : h.length));
  const start = [...kept];
  const borrowed: CacheCopy[] = [];
  for (let i = 0; i < B; i++) {
    let best = -1;
    let bestLength = start[i]!;
    held.forEach((_, s) => {
      const length = Math.min(match[i]![s]!, intact[s]!);
      if (s !== slotOf[i] && length > bestLength) [best, bestLength] = [s, length];
    });
    if (best < 0) continue;
    borrowed.push({ from: best, to: slotOf[i]!, start: start[i]!, end: bestLength });
    start[i] = bestLength;
  }
  // within the call: a prompt follows an earlier leader when they share more than it has cached
  const leaders: number[] = [];
  const followers: number[] = [];
  const shared: CacheCopy[] = [];
  for (let i = 0; i < B; i++) {
    let best = -1;
    let bestLength = start[i]! + MIN_SHARED - 1;
    for (const j of leaders) {
      const length = commonPrefix(prompts[i]!, prompts[j]!, cap[i]!);
      if (length > bestLength) [best, bestLength] = [j, length];
    }
    if (best < 0) {
      leaders.push(i);
      continue;
    }
    followers.push(i);
    shared.push({ from: slotOf[best]!, to: slotOf[i]!, start: start[i]!, end: bestLength });
    start[i] = bestLength;
  }
  return { slotOf, kept, borrowed, leaders, shared, followers, start };
}

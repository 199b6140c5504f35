// thefuzz 0.20's `fuzz.token_set_ratio` (rapidfuzz underneath), as WebShop's reward calls it: full
// processing with force_ascii, the subset shortcut to 100, and Python's round-half-even at the end.

/** force_ascii drops code points 128–255; then non-word characters become spaces; strip; lowercase. */
function fullProcess(text: string): string {
  return text
    .replace(/[\u0080-\u00ff]/g, '')
    .replace(/[^\p{L}\p{N}_]/gu, ' ')
    .trim()
    .toLowerCase();
}

function longestCommonSubsequence(a: string, b: string): number {
  if (a.length === 0 || b.length === 0) return 0;
  let previous = new Uint16Array(b.length + 1);
  let current = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

/** Python's round(): halves go to the even neighbour. */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Unrounded token-set similarity in [0, 100] (rapidfuzz's `token_set_ratio`). */
export function rawTokenSetRatio(first: string, second: string): number {
  const a = new Set(fullProcess(first).split(/\s+/).filter((t) => t.length > 0));
  const b = new Set(fullProcess(second).split(/\s+/).filter((t) => t.length > 0));
  if (a.size === 0 || b.size === 0) return 0;
  const intersection = [...a].filter((t) => b.has(t)).sort();
  const onlyA = [...a].filter((t) => !b.has(t)).sort();
  const onlyB = [...b].filter((t) => !a.has(t)).sort();
  if (intersection.length > 0 && (onlyA.length === 0 || onlyB.length === 0)) return 100;
  const sect = intersection.join(' ');
  const ab = onlyA.join(' ');
  const ba = onlyB.join(' ');
  const hasSect = sect.length > 0 ? 1 : 0;
  const sectAbLength = sect.length + hasSect + ab.length;
  const sectBaLength = sect.length + hasSect + ba.length;
  const indel = ab.length + ba.length - 2 * longestCommonSubsequence(ab, ba);
  const total = sectAbLength + sectBaLength;
  let result = total === 0 ? 0 : 100 * (1 - indel / total);
  if (sect.length === 0) return result;
  result = Math.max(result, 100 * (1 - (ab.length + 1) / (sect.length + sectAbLength)));
  result = Math.max(result, 100 * (1 - (ba.length + 1) / (sect.length + sectBaLength)));
  return result;
}

/** thefuzz's integer score: `int(round(token_set_ratio))`. WebShop tests `> 85`. */
export function tokenSetRatio(first: string, second: string): number {
  return roundHalfEven(rawTokenSetRatio(first, second));
}

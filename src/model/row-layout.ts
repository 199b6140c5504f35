// The compact row layout that training and prefill share: row-wise work (norms, projections, MLP) runs on
// compact rows — a token prefix shared by every sequence once, then each sequence's own tokens, no padding —
// and only attention sees the right-padded (B, T) block. Here: building a layout and moving rows between the
// compact and the padded form (and the transposes, for backward).

/** Where compact rows sit in the padded block: rows [0, shared) are every sequence's first `shared` tokens. */
export interface RowLayout {
  B: number;
  T: number; // padded length
  shared: number;
  own: Int32Array; // (B) first compact row of sequence b's own tokens (positions shared .. length−1)
  length: Int32Array; // (B) input tokens of sequence b
  R: number; // compact rows
}

/** How many leading tokens all sequences have in common, at most `limit`. */
export function sharedPrefixLength(seqs: readonly ArrayLike<number>[], limit: number): number {
  const first = seqs[0];
  let n = Math.max(0, limit);
  for (const seq of seqs) {
    let t = 0;
    while (t < n && seq[t] === first![t]) t++;
    n = t;
  }
  return n;
}

/**
 * Lays out the first lengths[b] tokens of each sequence in compact rows, the `shared` prefix once, writing each
 * row's token id and position; T is the padded length of the block.
 */
export function compactLayout(seqs: readonly ArrayLike<number>[], lengths: ArrayLike<number>, shared: number, T: number,
  ids: Int32Array, positions: Int32Array): RowLayout {
  const B = seqs.length;
  for (let t = 0; t < shared; t++) {
    ids[t] = seqs[0]![t]!;
    positions[t] = t;
  }
  const own = new Int32Array(B);
  const length = Int32Array.from(lengths);
  let row = shared;
  for (let b = 0; b < B; b++) {
    own[b] = row;
    for (let t = shared; t < length[b]!; t++) {
      ids[row] = seqs[b]![t]!;
      positions[row++] = t;
    }
  }
  return { B, T, shared, own, length, R: row };
}

/** The compact row of sequence b's token t. */
export function rowOf(o: RowLayout, b: number, t: number): number {
  return t < o.shared ? t : o.own[b]! + t - o.shared;
}

/** Copies n rows of `width` floats from src row `from` to dst row `to` (a memcpy per call). */
export function copyRows(dst: Float32Array, to: number, src: Float32Array, from: number, n: number, width: number): void {
  if (n > 0) dst.set(src.subarray(from * width, (from + n) * width), to * width);
}

/** Compact rows → padded block; padding rows are zeroed (finite, and never attended to by real tokens). */
export function toBlock(block: Float32Array, compact: Float32Array, width: number, o: RowLayout): void {
  for (let b = 0; b < o.B; b++) {
    copyRows(block, b * o.T, compact, 0, o.shared, width);
    copyRows(block, b * o.T + o.shared, compact, o.own[b]!, o.length[b]! - o.shared, width);
    block.fill(0, (b * o.T + o.length[b]!) * width, (b + 1) * o.T * width);
  }
}

/** Padded block → compact rows: the shared rows are taken from sequence 0 (identical in every sequence). */
export function fromBlock(compact: Float32Array, block: Float32Array, width: number, o: RowLayout): void {
  copyRows(compact, 0, block, 0, o.shared, width);
  for (let b = 0; b < o.B; b++) copyRows(compact, o.own[b]!, block, b * o.T + o.shared, o.length[b]! - o.shared, width);
}

/** Transpose of fromBlock: compact gradient → block (shared rows to sequence 0 only, the rest zero). */
export function fromBlockBackward(block: Float32Array, compact: Float32Array, width: number, o: RowLayout): void {
  block.fill(0, 0, o.B * o.T * width);
  copyRows(block, 0, compact, 0, o.shared, width);
  for (let b = 0; b < o.B; b++) copyRows(block, b * o.T + o.shared, compact, o.own[b]!, o.length[b]! - o.shared, width);
}

/** Transpose of toBlock: block gradient → compact rows, summing the shared rows over every sequence. */
export function toBlockBackward(compact: Float32Array, block: Float32Array, width: number, o: RowLayout): void {
  fromBlock(compact, block, width, o);
  const n = o.shared * width;
  for (let b = 1; b < o.B; b++) {
    const base = b * o.T * width;
    for (let i = 0; i < n; i++) compact[i]! += block[base + i]!;
  }
}

/** No shared prefix and no padding: compact row b·T + t is block row b·T + t. */
export function isDense(o: RowLayout): boolean {
  if (o.shared !== 0 || o.R !== o.B * o.T) return false;
  for (let b = 0; b < o.B; b++) if (o.own[b] !== b * o.T) return false;
  return true;
}

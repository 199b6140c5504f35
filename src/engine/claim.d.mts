export function shareShift(threads: number): number;
export function chunkEnd(start: number, total: number, shift: number, least: number, align: number): number;
export function claimChunk(ctl: Int32Array, slot: number, total: number, shift: number, least: number, align: number): number;
export function runClaimed(
  ctl: Int32Array, layout: { op: number; total: number; align: number; least: number; next: number }, shift: number,
  dispatch: (op: number, start: number, end: number, scratch: number) => void, scratch: number): void;

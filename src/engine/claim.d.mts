export function shareShift(threads: number): number;
export function chunkEnd(start: number, total: number, shift: number, least: number, align: number): number;
export function claimChunk(ctl: Int32Array, slot: number, total: number, shift: number, least: number, align: number): number;

// Reads one member out of a zip archive (a Python wheel is a zip): the central directory locates it, and
// stored or deflated data is returned as bytes. No Zip64, encryption or multi-disk archives (wheels need none).
import { inflateRawSync } from 'node:zlib';
import { DataError } from '../errors.ts';

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

export interface ZipEntry {
  name: string;
  method: number; // 0 stored, 8 deflate
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/** Every member listed in the central directory. */
export function zipEntries(zip: Uint8Array, file: string): ZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // the end record is the last 22 bytes plus a comment of up to 65535 bytes
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === END_OF_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new DataError(file, undefined, 'not a zip archive (no end-of-central-directory record)');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || view.getUint32(at, true) !== DIRECTORY_ENTRY)
      throw new DataError(file, undefined, `zip directory entry ${i} is corrupt`);
    const nameLength = view.getUint16(at + 28, true);
    entries.push({
      name: Buffer.from(zip.buffer, zip.byteOffset + at + 46, nameLength).toString('utf8'),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

/** The uncompressed bytes of one member. */
export function zipMember(zip: Uint8Array, entry: ZipEntry, file: string): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const at = entry.localHeaderOffset;
  if (view.getUint32(at, true) !== LOCAL_HEADER)
    throw new DataError(file, undefined, `zip member ${entry.name}: bad local header`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const raw = zip.subarray(start, start + entry.compressedSize);
  let data: Uint8Array;
  if (entry.method === 0) data = raw;
  else if (entry.method === 8) data = inflateRawSync(raw);
  else
    throw new DataError(
      file,
      undefined,
      `zip member ${entry.name} uses compression method ${entry.method}; only stored and deflate are read`,
    );
  if (data.length !== entry.size)
    throw new DataError(
      file,
      undefined,
      `zip member ${entry.name}: ${data.length} bytes, directory says ${entry.size}`,
    );
  return data;
}

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../errors.ts';
import { zipEntries, zipMember } from './zip-read.ts';

const dir = mkdtempSync(join(tmpdir(), 'eto-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// the archive is written by Python's zipfile (an independent writer), stored and deflated members, with a comment
function pythonZip(): Uint8Array | undefined {
  const file = join(dir, 'a.zip');
  const script = [
    'import zipfile, sys',
    'with zipfile.ZipFile(sys.argv[1], "w") as z:',
    '    z.writestr(zipfile.ZipInfo("pkg/stored.txt"), "plain text", compress_type=zipfile.ZIP_STORED)',
    '    z.writestr("pkg/deflated.bin", bytes(range(256)) * 1000, compress_type=zipfile.ZIP_DEFLATED)',
    '    z.writestr("pkg/empty", b"")',
    '    z.comment = b"a trailing comment"',
  ].join('\n');
  try {
    execFileSync('python3', ['-c', script, file], { stdio: 'pipe' });
  } catch {
    return undefined;
  }
  return new Uint8Array(readFileSync(file));
}

const zip = pythonZip();
if (!zip) console.warn('[skipped] zip-read against Python zipfile: python3 is not available');

describe.skipIf(!zip)('zip-read on an archive written by Python zipfile', () => {
  it('lists every member and returns stored, deflated and empty members byte for byte', () => {
    if (!zip) return;
    const entries = zipEntries(zip, 'a.zip');
    expect(entries.map((e) => [e.name, e.method, e.size])).toEqual([
      ['pkg/stored.txt', 0, 10],
      ['pkg/deflated.bin', 8, 256_000],
      ['pkg/empty', 0, 0],
    ]);
    const [stored, deflated, empty] = entries.map((e) => zipMember(zip, e, 'a.zip'));
    expect(Buffer.from(stored as Uint8Array).toString()).toBe('plain text');
    expect(new Uint8Array(deflated as Uint8Array)).toEqual(new Uint8Array(256_000).map((_, i) => i % 256));
    expect(empty).toHaveLength(0);
  });
});

it('refuses bytes that are not a zip, naming the file', () => {
  expect(() => zipEntries(new Uint8Array(100), 'x.whl')).toThrow(DataError);
  expect(() => zipEntries(new Uint8Array(100), 'x.whl')).toThrow(/x\.whl: not a zip archive/);
});

import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DataError } from '../errors.ts';
import { appendJsonl, readJsonl, readJsonlIfExists, writeJsonlAtomic } from './jsonl.ts';
import { TrajectorySchema } from './schemas.ts';

const Row = z.object({ a: z.number() });

describe('JSONL store', () => {
  it('appends, reads back and validates', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'eto-jsonl-')), 'sub', 'rows.jsonl');
    appendJsonl(file, [{ a: 1 }, { a: 2 }]);
    appendJsonl(file, [{ a: 3 }]);
    expect(readJsonl(file, Row)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n{"a":2}\n{"a":3}\n');
  });

  it('names file and line of a malformed or invalid record', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'eto-jsonl-')), 'bad.jsonl');
    writeFileSync(file, '{"a":1}\n\n{"a":\n');
    expect(() => readJsonl(file, Row)).toThrow(DataError);
    expect(() => readJsonl(file, Row)).toThrow(`${file}:3: not valid JSON`);
    writeFileSync(file, '{"a":1}\n{"a":"x"}\n');
    expect(() => readJsonl(file, Row)).toThrow(new RegExp(`${file}:2: a: `));
    writeFileSync(file, JSON.stringify({ id: 'x' }) + '\n');
    expect(() => readJsonl(file, TrajectorySchema)).toThrow(`${file}:1: env:`);
  });

  it('repairs a torn last line only when asked', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'eto-jsonl-')), 'torn.jsonl');
    writeFileSync(file, '{"a":1}\n{"a":2}\n{"a":');
    expect(() => readJsonl(file, Row)).toThrow(':3:');
    expect(readJsonl(file, Row, { repairTail: true })).toEqual([{ a: 1 }, { a: 2 }]);
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n{"a":2}\n');
    appendJsonl(file, [{ a: 3 }]);
    expect(readJsonl(file, Row)).toHaveLength(3);
  });

  it('writes whole files atomically and treats a missing file as empty when asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eto-jsonl-'));
    const file = join(dir, 'all.jsonl');
    expect(readJsonlIfExists(file, Row)).toEqual([]);
    expect(() => readJsonl(file, Row)).toThrow('file not found');
    writeJsonlAtomic(file, [{ a: 5 }]);
    expect(readJsonl(file, Row)).toEqual([{ a: 5 }]);
    expect(readdirSync(dir)).toEqual(['all.jsonl']);
    expect(existsSync(`${file}.tmp-${process.pid}`)).toBe(false);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../errors.ts';
import { readJsonArray } from './json-array-stream.ts';
import { FIXTURE_DIR } from './test-shop.ts';

const dir = mkdtempSync(join(tmpdir(), 'eto-json-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('readJsonArray', () => {
  it('yields what JSON.parse gives for the product fixture, at any chunk size', () => {
    const path = join(FIXTURE_DIR, 'items_shuffle.json');
    const whole = JSON.parse(readFileSync(path, 'utf8')) as unknown[];
    for (const chunk of [1, 2, 7, 64, 1 << 20]) expect([...readJsonArray(path, chunk)]).toEqual(whole);
  });

  it('handles strings with brackets, commas, escapes and multi-byte text, scalars, nesting and empty arrays', () => {
    const value = [{ a: 'x, ] } [ {', b: 'quote \\" and \\\\', c: 'café 漢字 🙂' }, 1, 'two', null, [[], { d: [1, { e: 2 }] }], -3.5e2];
    const path = write('tricky.json', `\n  ${JSON.stringify(value, null, 1)}  \n`);
    for (const chunk of [1, 3, 5, 1024]) expect([...readJsonArray(path, chunk)]).toEqual(value);
    expect([...readJsonArray(write('empty.json', ' [ ] '))]).toEqual([]);
  });

  it('names the file for a non-array, a truncated array and a bad element', () => {
    expect(() => [...readJsonArray(write('object.json', '{"a": 1}'))]).toThrow(DataError);
    expect(() => [...readJsonArray(write('cut.json', '[{"a": 1}, {"b": '))]).toThrow(/cut\.json.*not closed/);
    expect(() => [...readJsonArray(write('bad.json', '[{"a": 1}, {b: 2}]'))]).toThrow(/bad\.json.*element 1/);
    expect(() => [...readJsonArray(join(dir, 'missing.json'))]).toThrow(/missing\.json.*cannot read/);
  });
});

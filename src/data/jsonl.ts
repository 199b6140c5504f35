// The JSONL store: append one record per line with fsync, read back with schema validation
// (errors name file and line), and whole-file atomic writes (temp + rename) for JSON and JSONL.
// It does not cache or index; callers read a file once per stage.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, truncateSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { DataError } from '../errors.ts';

/** Appends records as JSON lines and fsyncs each, so a killed process never loses a finished record. */
export function appendJsonl(file: string, records: readonly unknown[]): void {
  if (records.length === 0) return;
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, records.map((record) => JSON.stringify(record) + '\n').join(''));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface ReadJsonlOptions {
  /**
   * A last line without its newline is what a killed append leaves behind: drop it (and cut it from
   * the file) instead of failing. Used when resuming; user files are read strictly.
   */
  repairTail?: boolean;
}

/** Reads and validates every line; blank lines are skipped. Throws DataError(file, line) on the first bad record. */
export function readJsonl<S extends z.ZodType>(file: string, schema: S, options: ReadJsonlOptions = {}): z.infer<S>[] {
  return readJsonlLines(file, schema, options).map(({ record }) => record);
}

/** Like readJsonl, with each record's 1-based line number in the file (for errors found after parsing). */
export function readJsonlLines<S extends z.ZodType>(file: string, schema: S, options: ReadJsonlOptions = {}): { line: number; record: z.infer<S> }[] {
  if (!existsSync(file)) throw new DataError(file, undefined, 'file not found');
  let text = readFileSync(file, 'utf8');
  if (options.repairTail && text.length > 0 && !text.endsWith('\n')) {
    const keep = text.lastIndexOf('\n') + 1;
    truncateSync(file, Buffer.byteLength(text.slice(0, keep)));
    text = text.slice(0, keep);
  }
  const records: { line: number; record: z.infer<S> }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? '';
    if (line === '') continue;
    records.push({ line: i + 1, record: parseRecord(file, i + 1, line, schema) });
  }
  return records;
}

/** Like readJsonl, but a missing file is an empty list (for resumable outputs). */
export function readJsonlIfExists<S extends z.ZodType>(file: string, schema: S, options: ReadJsonlOptions = {}): z.infer<S>[] {
  return existsSync(file) ? readJsonl(file, schema, options) : [];
}

function parseRecord<S extends z.ZodType>(file: string, line: number, text: string, schema: S): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DataError(file, line, `not valid JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new DataError(file, line, describeIssue(parsed.error));
  return parsed.data;
}

/** The first zod issue as `field.path: message`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid record';
  const path = issue.path.map(String).join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

/** Writes a whole file atomically: the content goes to a temp file that is fsynced and renamed over the target. */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

export function writeJsonlAtomic(file: string, records: readonly unknown[]): void {
  writeFileAtomic(file, records.map((record) => JSON.stringify(record) + '\n').join(''));
}

/** Reads and validates a JSON file (config.json, summary.json). */
export function readJson<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  if (!existsSync(file)) throw new DataError(file, undefined, 'file not found');
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DataError(file, undefined, `not valid JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new DataError(file, undefined, describeIssue(parsed.error));
  return parsed.data;
}

// The report's reading side: a fixture run directory → embedded data (pairs annotated, text interned losslessly),
// partial runs, and malformed records named by file and line.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJsonl } from '../src/data/jsonl.ts';
import { PairSchema, TrajectorySchema, type Message } from '../src/data/schemas.ts';
import { DataError } from '../src/errors.ts';
import { buildReportData, loadRunRecords, writeReport } from '../src/report/index.ts';
import type { PackedMessage, ReportData } from '../src/report/report-data.ts';
import { writeRunFixture } from './support/run-fixture.ts';

const root = mkdtempSync(join(tmpdir(), 'eto-report-data-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const unpack = (data: ReportData, packed: PackedMessage[]): Message[] =>
  packed.map(([role, index]) => ({ role: (['system', 'user', 'assistant'] as const)[role] as Message['role'], content: data.strings[index] as string }));

describe('buildReportData', () => {
  const dir = join(root, 'full');
  const summary = writeRunFixture(dir, { tasks: 16, iterations: 2, evalTasks: 5 });
  const data = buildReportData(loadRunRecords(dir));

  it('carries every pair of every iteration with its messages intact', () => {
    const onDisk = [1, 2].flatMap((k) => readJsonl(join(dir, `iter-${k}`, 'pairs.jsonl'), PairSchema).map((pair) => ({ k, pair })));
    expect(data.pairs).toHaveLength(onDisk.length);
    expect(onDisk.length).toBeGreaterThan(10);
    onDisk.forEach(({ k, pair }, i) => {
      const shown = data.pairs[i];
      expect(shown?.iteration).toBe(k);
      expect(shown?.id).toBe(pair.id);
      expect(unpack(data, shown?.chosen ?? [])).toEqual(pair.chosen);
      expect(unpack(data, shown?.rejected ?? [])).toEqual(pair.rejected);
      expect(unpack(data, shown?.prompt ?? [])).toEqual(pair.prompt);
    });
  });

  it('labels each pair with who won, the split and both end reasons from the explored and expert episodes', () => {
    const experts = new Map(readJsonl(join(dir, 'data', 'expert.jsonl'), TrajectorySchema).map((t) => [t.task, t]));
    for (const pair of data.pairs) {
      const expert = experts.get(pair.task);
      expect(expert).toBeDefined();
      // the expert is the chosen side exactly when its reward is the chosen reward
      const expertChosen = expert?.reward === pair.chosenReward;
      expect(pair.outcome).toBe(expertChosen ? 'agent-lost' : 'agent-won');
      expect(pair.split).toBe('train');
      expect(expertChosen ? pair.chosenEnd : pair.rejectedEnd).toBe(expert?.endReason);
    }
    expect(new Set(data.pairs.map((p) => p.outcome))).toEqual(new Set(['agent-lost', 'agent-won']));
  });

  it('orders stages sft, rft, eto-k and takes the table numbers from summary.json', () => {
    expect(data.stages).toEqual(['sft', 'rft', 'eto-1', 'eto-2']);
    expect(data.results).toEqual(summary.results);
    expect(data.comparisons).toEqual(summary.comparisons);
    expect(data.episodes).toHaveLength(4 * 3 * 5);
    expect(data.trainLog.filter((e) => e.stage === 'dpo').every((e) => e.margin !== null && e.accuracy !== null)).toBe(true);
  });
});

describe('loadRunRecords', () => {
  it('renders a partial run (config and expert data only) with empty sections', () => {
    const dir = join(root, 'partial');
    writeRunFixture(dir, { tasks: 3, iterations: 1, evalTasks: 1 });
    rmSync(join(dir, 'summary.json'));
    rmSync(join(dir, 'eval'), { recursive: true });
    rmSync(join(dir, 'iter-1'), { recursive: true });
    const data = buildReportData(loadRunRecords(dir));
    expect(data.results).toEqual([]);
    expect(data.pairs).toEqual([]);
    expect(data.episodes).toEqual([]);
    const html = readFileSync(writeReport(dir), 'utf8');
    expect(html).toContain('<script type="application/json" id="run-data">');
  });

  it('names the file and line of a malformed record', () => {
    const dir = join(root, 'broken');
    writeRunFixture(dir, { tasks: 3, iterations: 1, evalTasks: 1 });
    const file = join(dir, 'eval', 'sft-dev.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    appendFileSync(file, '{"id": "x"}\n');
    expect(() => loadRunRecords(dir)).toThrow(DataError);
    expect(() => loadRunRecords(dir)).toThrow(`${file}:${lines + 1}`);
  });

  it('rejects a missing run directory', () => {
    expect(() => loadRunRecords(join(root, 'nope'))).toThrow(/run directory not found/);
  });
});

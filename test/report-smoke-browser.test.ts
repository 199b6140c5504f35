// The report of a real `eto run --preset smoke` run, opened in Chromium: the table holds summary.json's numbers,
// every chart has marks, and choosing a pair shows both sides with the divergence highlighted. Screenshot in test-artifacts/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readJson, readJsonl } from '../src/data/jsonl.ts';
import { PairSchema, SummarySchema } from '../src/data/schemas.ts';
import { firstDivergentTurn } from '../src/report/index.ts';
import { launchChromium, openOffline } from './support/browser.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'eto-report-smoke-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('report of a smoke run', () => {
  it('opens in Chromium with the summary numbers, drawn charts and a pair diverging', async () => {
    const runDir = join(root, 'smoke');
    const result = spawnSync(process.execPath, [join(repo, 'bin', 'eto.js'), 'run', '--preset', 'smoke', '--seed', '3', '--out', runDir], { cwd: repo, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const summary = readJson(join(runDir, 'summary.json'), SummarySchema);
    // `eto run` writes the report at its end
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');

    const browser = await launchChromium();
    try {
      const { page, context, requests, errors } = await openOffline(browser, html);
      await page.waitForSelector('body[data-ready]', { timeout: 20_000 });
      expect(await page.getAttribute('body', 'data-render-error')).toBeNull();
      for (const r of summary.results) {
        const cell = (metric: string) => page.locator(`#results-table td[data-stage="${r.stage}"][data-split="${r.split}"][data-metric="${metric}"]`);
        expect(await cell('avgReward').textContent()).toBe(r.avgReward.toFixed(1));
        expect(await cell('successRate').textContent()).toBe(r.successRate.toFixed(1));
        expect(await cell('avgSteps').textContent()).toBe(r.avgSteps.toFixed(2));
      }
      const charts = await page.locator('figure.chart-card').evaluateAll((cards) => cards.map((card) => ({ id: card.id, marks: card.querySelectorAll('svg .mark').length })));
      expect(charts).toHaveLength(7);
      for (const chart of charts) expect(chart.marks, chart.id).toBeGreaterThan(0);

      const pairs = readJsonl(join(runDir, 'iter-1', 'pairs.jsonl'), PairSchema);
      expect(pairs.length).toBeGreaterThan(0);
      const pair = pairs[0]!;
      const divergence = firstDivergentTurn(pair.chosen, pair.rejected);
      await page.selectOption('#pair-filters select[name=iteration]', '1');
      await page.locator('#pair-list button').first().click();
      // ALFWorld's task id is an index; the title adds the goal from the task message
      const goal = pair.prompt.at(-1)?.content.split('Your task is to: ')[1]?.trim() ?? '';
      expect(goal).not.toBe('');
      expect(await page.locator('#pair-detail .task-title').textContent()).toBe(`${pair.task} — ${goal}`);
      const chosenTexts = await page.locator('#pair-detail .turns > :nth-child(3n+5) pre').allTextContents();
      const rejectedTexts = await page.locator('#pair-detail .turns > :nth-child(3n+6) pre').allTextContents();
      expect(chosenTexts).toEqual(pair.chosen.map((m) => m.content));
      expect(rejectedTexts).toEqual(pair.rejected.map((m) => m.content));
      expect(await page.locator('#pair-detail .msg.divergent').count()).toBe(divergence >= 0 ? 2 : 0);

      mkdirSync(join(repo, 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: join(repo, 'test-artifacts', 'report-smoke.png'), fullPage: true });
      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await browser.close();
    }
  });
});

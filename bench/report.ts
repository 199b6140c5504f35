// `npm run bench -- report [--pairs N] [--repeats R]`: builds a synthetic run with about N preference pairs
// (default 2,000), writes its report, and times how long the page takes to open in headless Chromium (target < 2 s).
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { writeReport } from '../src/report/index.ts';
import { launchChromium, openOffline } from '../test/support/browser.ts';
import { writeRunFixture } from '../test/support/run-fixture.ts';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
/** What the filter wait reads in the page (the bench compiles without the DOM lib). */
interface PageGlobals {
  document: { querySelector(selector: string): { textContent: string | null } | null };
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { pairs: { type: 'string', default: '2000' }, repeats: { type: 'string', default: '5' } } });
  const targetPairs = Number(values.pairs);
  const repeats = Number(values.repeats);
  const root = mkdtempSync(join(tmpdir(), 'eto-report-bench-'));
  try {
    const runDir = join(root, 'bench-run');
    // the fixture pairs about 80% of explored tasks (ties with the expert are dropped); 2 iterations;
    // episodes of ~10–15 turns with ~300-character observations, about ALFWorld's size
    writeRunFixture(runDir, { tasks: Math.ceil(targetPairs / 2 / 0.76), iterations: 2, evalTasks: 200, extraTurns: 8, observationChars: 300 });
    const buildTimes: number[] = [];
    let out = '';
    for (let r = 0; r < repeats; r++) {
      const start = performance.now();
      out = writeReport(runDir);
      buildTimes.push(performance.now() - start);
    }
    const html = readFileSync(out, 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="run-data">([^<]*)<\/script>/.exec(html)?.[1] ?? '{}') as { pairs: unknown[]; episodes: unknown[] };

    const browser = await launchChromium();
    const openTimes: number[] = [];
    const pageReadyTimes: number[] = [];
    const selectTimes: number[] = [];
    const filterTimes: number[] = [];
    try {
      for (let r = 0; r < repeats; r++) {
        const start = performance.now();
        const opened = await openOffline(browser, html);
        await opened.page.waitForSelector('body[data-ready]', { timeout: 60_000 });
        openTimes.push(performance.now() - start);
        // the page's own clock: navigation start → first moment after the page marked itself ready
        pageReadyTimes.push(await opened.page.evaluate(() => performance.now()));
        if (opened.errors.length > 0 || opened.requests.length > 0) throw new Error(`page errors ${opened.errors.join('; ')} / requests ${opened.requests.join(', ')}`);
        let t = performance.now();
        await opened.page.click('#pair-list li:nth-child(7) button');
        await opened.page.waitForSelector('#pair-detail .turns');
        selectTimes.push(performance.now() - t);
        const before = await opened.page.textContent('#pair-count');
        t = performance.now();
        await opened.page.fill('#pair-filters input[type=search]', 'put the lamp');
        await opened.page.waitForFunction((previous) => (globalThis as unknown as PageGlobals).document.querySelector('#pair-count')?.textContent !== previous, before);
        filterTimes.push(performance.now() - t);
        await opened.context.close();
      }
    } finally {
      await browser.close();
    }
    const common = { bench: 'report', pairs: data.pairs.length, episodes: data.episodes.length, htmlMiB: round(statSync(out).size / 2 ** 20), repeats };
    console.log(JSON.stringify({ ...common, case: 'write-report', medianMs: round(median(buildTimes)) }));
    console.log(JSON.stringify({ ...common, case: 'open-in-chromium', medianMs: round(median(openTimes)), maxMs: round(Math.max(...openTimes)), pageReadyMedianMs: round(median(pageReadyTimes)), targetMs: 2000, underTarget: median(openTimes) < 2000 }));
    console.log(JSON.stringify({ ...common, case: 'select-pair', medianMs: round(median(selectTimes)) }));
    console.log(JSON.stringify({ ...common, case: 'search-filter', medianMs: round(median(filterTimes)) }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

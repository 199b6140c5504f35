// `npm run bench -- report [--pairs N] [--repeats R]`: builds a synthetic run with about N preference pairs
// (default 2,000), writes its report, and times how long the page takes to open from disk in headless Chromium
// (target < 2 s), then picking a pair and filtering.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { writeReport } from '../src/report/index.ts';
import { launchChromium, openOffline } from '../test/support/browser.ts';
import { writeRunFixture } from '../test/support/run-fixture.ts';
import { median, round } from './stats.ts';

/** What the filter wait reads in the page (the bench compiles without the DOM lib). */
interface PageGlobals {
  document: { querySelector(selector: string): { textContent: string | null } | null };
}


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
    const fileOpen: number[] = [];
    const fileReady: number[] = [];
    const servedOpen: number[] = [];
    const selectTimes: number[] = [];
    const filterTimes: number[] = [];
    try {
      for (let r = 0; r < repeats; r++) {
        // as a user opens it: the file from disk, network off
        const context = await browser.newContext({ offline: true, viewport: { width: 1400, height: 1000 } });
        const page = await context.newPage();
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        let start = performance.now();
        await page.goto(pathToFileURL(out).href);
        await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
        fileOpen.push(performance.now() - start);
        // the page's own clock: navigation start → first moment after the page marked itself ready
        fileReady.push(await page.evaluate(() => performance.now()));
        if (pageErrors.length > 0) throw new Error(`page errors: ${pageErrors.join('; ')}`);
        start = performance.now();
        await page.click('#pair-list li:nth-child(7) button');
        await page.waitForSelector('#pair-detail .turns');
        selectTimes.push(performance.now() - start);
        const before = await page.textContent('#pair-count');
        start = performance.now();
        await page.fill('#pair-filters input[type=search]', 'put the lamp');
        await page.waitForFunction((previous) => (globalThis as unknown as PageGlobals).document.querySelector('#pair-count')?.textContent !== previous, before);
        filterTimes.push(performance.now() - start);
        await context.close();

        // as the tests open it: served through request interception (adds the page's transfer over the DevTools protocol)
        start = performance.now();
        const served = await openOffline(browser, html);
        await served.page.waitForSelector('body[data-ready]', { timeout: 60_000 });
        servedOpen.push(performance.now() - start);
        if (served.errors.length > 0 || served.requests.length > 0) throw new Error(`page errors ${served.errors.join('; ')} / requests ${served.requests.join(', ')}`);
        await served.context.close();
      }
    } finally {
      await browser.close();
    }
    const common = { bench: 'report', pairs: data.pairs.length, episodes: data.episodes.length, htmlMiB: round(statSync(out).size / 2 ** 20), repeats };
    console.log(JSON.stringify({ ...common, case: 'write-report', medianMs: round(median(buildTimes)) }));
    console.log(JSON.stringify({ ...common, case: 'open-file', medianMs: round(median(fileOpen)), maxMs: round(Math.max(...fileOpen)), pageReadyMedianMs: round(median(fileReady)), targetMs: 2000, underTarget: median(fileOpen) < 2000 }));
    console.log(JSON.stringify({ ...common, case: 'open-served-by-interception', medianMs: round(median(servedOpen)) }));
    console.log(JSON.stringify({ ...common, case: 'select-pair', medianMs: round(median(selectTimes)) }));
    console.log(JSON.stringify({ ...common, case: 'search-filter', medianMs: round(median(filterTimes)) }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

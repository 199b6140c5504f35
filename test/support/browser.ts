// Launches Chromium through playwright-core for browser tests and benches. Lookup order: CHROMIUM_PATH, then
// Debian's /usr/bin/chromium (unless ETO_NO_SYSTEM_BROWSER=1), then the binary shipped inside the pinned
// devDependency @sparticuz/chromium, so `npm ci && npm test` needs nothing installed by hand.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import packagedChromium from '@sparticuz/chromium';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const debianChromium = '/usr/bin/chromium';
/** Version of the pinned package; one unpacked copy per version is shared by every test process. */
const packagedVersion = '153.0.0';

/** The system browser to use, or undefined when the packaged one should be unpacked. */
export function systemChromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env['CHROMIUM_PATH'];
  if (override !== undefined && override !== '') {
    if (!existsSync(override)) throw new Error(`CHROMIUM_PATH=${override} does not exist`);
    return override;
  }
  if (env['ETO_NO_SYSTEM_BROWSER'] !== '1' && existsSync(debianChromium)) return debianChromium;
  return undefined;
}

/**
 * Unpacks the package's brotli-packed Chromium once into tmpdir()/eto-chromium-VERSION. The package always
 * unpacks into tmpdir(), so it is pointed at a per-process staging folder that is then renamed into place:
 * test files run in parallel processes, and none may see a half-written binary.
 */
export async function packagedChromiumPath(): Promise<string> {
  const finalDir = join(tmpdir(), `eto-chromium-${packagedVersion}`);
  const binary = join(finalDir, 'chromium');
  if (existsSync(binary)) return binary;
  const staging = join(tmpdir(), `eto-chromium-${packagedVersion}.${process.pid}.partial`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const savedTmp = process.env['TMPDIR'];
  process.env['TMPDIR'] = staging;
  try {
    await packagedChromium.executablePath();
  } finally {
    if (savedTmp === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = savedTmp;
  }
  try {
    renameSync(staging, finalDir);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another process won the race; its copy is complete
  }
  if (!existsSync(binary)) throw new Error(`@sparticuz/chromium did not unpack a binary at ${binary}`);
  return binary;
}

export async function chromiumPath(): Promise<string> {
  return systemChromiumPath() ?? (await packagedChromiumPath());
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = await chromiumPath();
  // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

export interface OfflinePage {
  context: BrowserContext;
  page: Page;
  /** Every request the page made other than the page itself (all are aborted). */
  requests: string[];
  /** Uncaught page errors and console errors. */
  errors: string[];
  /** Dialogs (alert/confirm/prompt) the page opened; each is dismissed. */
  dialogs: string[];
}

/**
 * Opens `html` with the network off: the context is offline and every request is intercepted; only the page's
 * own URL is answered (with `html`), everything else is recorded and aborted.
 */
export async function openOffline(browser: Browser, html: string, viewport = { width: 1400, height: 1000 }): Promise<OfflinePage> {
  const pageUrl = 'http://report.invalid/report.html';
  const context = await browser.newContext({ offline: true, viewport });
  const requests: string[] = [];
  const errors: string[] = [];
  const dialogs: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === pageUrl) await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    else {
      requests.push(url);
      await route.abort();
    }
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(pageUrl);
  return { context, page, requests, errors, dialogs };
}

// Launches Debian's Chromium through playwright-core for browser tests and benches. It fails loudly when
// Chromium is missing (`.ci/run` installs it) instead of letting tests skip.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's package puts the launcher here; CHROMIUM_PATH overrides it for other machines. */
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: browser tests need it. .ci/run installs it (apt-get install chromium); ` +
        'set CHROMIUM_PATH to use another Chromium binary.',
    );
  }
  // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
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

// Renders the self-contained report page: inline CSS, inline script, the run's data as an escaped JSON block,
// and a Content-Security-Policy that allows only those inline blocks (by hash) and no network at all.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ReportData } from './report-data.ts';

/** Client files, concatenated in this order into one script (they share one scope). */
const CLIENT_SCRIPTS = ['dom.js', 'charts.js', 'results.js', 'run-charts.js', 'pairs.js', 'episodes.js', 'main.js'];

export function renderReportHtml(data: ReportData): string {
  const style = readClientFile('style.css');
  const script = `(function () {\n'use strict';\n${CLIENT_SCRIPTS.map(readClientFile).join('\n')}\n})();\n`;
  const policy = [
    "default-src 'none'",
    `script-src '${sha256(script)}'`,
    `style-src '${sha256(style)}'`,
    "img-src 'none'",
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  const title = `eto report: ${data.name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeText(title)}</title>
<style>${style}</style>
</head>
<body>
<noscript>This report draws its tables and charts with JavaScript; enable it to view the run.</noscript>
<script type="application/json" id="run-data">${embedJson(data)}</script>
<script>${script}</script>
</body>
</html>
`;
}

/**
 * JSON safe inside a <script> element: `<` becomes \u003c so no `</script>` or `<!--` in the data can end
 * or alter the block; U+2028/2029 are escaped too. JSON.parse reads the escapes back as the same characters.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

function readClientFile(name: string): string {
  return readFileSync(new URL(`./client/${name}`, import.meta.url), 'utf8');
}

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildReportData } from './report-data.ts';
import { embedJson, renderReportHtml } from './render-html.ts';
import type { RunRecords } from './load-run.ts';

const hostile = ['</script><script>alert(1)</script>', '<!--', '<img src=x onerror=alert(2)>', '</textarea>', 'line\u2028sep\u2029end', '"quoted" & \\back'];

function recordsWith(text: string): RunRecords {
  const messages = [
    { role: 'user' as const, content: 'instruction' },
    { role: 'assistant' as const, content: 'OK' },
    { role: 'user' as const, content: `task: ${text}` },
    { role: 'assistant' as const, content: `Action: ${text}` },
  ];
  return {
    name: 'hostile', summary: null, config: { note: text }, expert: [], trainLog: [], iterations: [],
    evals: [{ stage: 'sft', split: 'test', episodes: [{ id: 'e1', env: 'toy', split: 'test', task: text, source: 'eval', iteration: 0, messages, reward: 0, success: false, steps: 1, endReason: 'max_steps', policy: 'p' }] }],
  };
}

describe('embedJson', () => {
  it('has no raw < or line separators and parses back to the same value', () => {
    for (const text of hostile) {
      const value = { text, list: [text, 1, null] };
      const embedded = embedJson(value);
      expect(embedded).not.toMatch(/[<\u2028\u2029]/);
      expect(JSON.parse(embedded)).toEqual(value);
    }
  });
});

describe('renderReportHtml', () => {
  it('keeps exactly the two page scripts whatever the data holds, and the data reads back unchanged', () => {
    for (const text of hostile) {
      const html = renderReportHtml(buildReportData(recordsWith(text)));
      expect(html.match(/<script/gi)).toHaveLength(2);
      expect(html.match(/<\/script/gi)).toHaveLength(2);
      const block = /<script type="application\/json" id="run-data">([^<]*)<\/script>/.exec(html)?.[1];
      const data = JSON.parse(block ?? 'null') as { strings: string[]; episodes: { task: string }[] };
      expect(data.episodes[0]?.task).toBe(text);
      expect(data.strings).toContain(`Action: ${text}`);
    }
  });

  it('allows by hash exactly the inline script and style it contains, and no network', () => {
    const html = renderReportHtml(buildReportData(recordsWith('x')));
    const policy = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(policy).toContain(`script-src ${hash(script)}`);
    expect(policy).toContain(`style-src ${hash(style)}`);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'none'");
    expect(html).not.toMatch(/\b(src|href)="https?:/);
  });
});

// The results table printed at the end of `eto run` and written to summary.md:
// one row per stage, per split average reward ×100, success rate and mean steps; paired differences vs SFT.
import type { Summary } from '../data/schemas.ts';

export function formatSummaryMarkdown(summary: Summary): string {
  const splits = [...new Set(summary.results.map((r) => r.split))].filter((split) => split !== 'dev' && split !== 'train');
  const stages = [...new Set(summary.results.map((r) => r.stage))];
  const header = ['stage', ...splits.flatMap((split) => [`${split} reward`, `${split} success %`, `${split} steps`])];
  const rows = stages.map((stage) => {
    const cells = splits.flatMap((split) => {
      const result = summary.results.find((r) => r.stage === stage && r.split === split);
      return result ? [result.avgReward.toFixed(1), result.successRate.toFixed(1), result.avgSteps.toFixed(1)] : ['–', '–', '–'];
    });
    return [stage === summary.best ? `${stage} (best on dev)` : stage, ...cells];
  });
  const lines = [
    `# eto run: ${summary.env}, preset ${summary.preset}, seed ${summary.seed}`,
    '',
    markdownTable(header, rows),
    '',
  ];
  const dev = summary.results.filter((r) => r.split === 'dev');
  if (dev.length > 0) {
    lines.push('Dev split (chooses the best iteration): ' + dev.map((r) => `${r.stage} ${r.avgReward.toFixed(1)}`).join(', '), '');
    if (summary.bestOverall !== undefined) {
      const keep = 'Policy to keep (best of SFT and every ETO iteration on dev, SFT on a tie)';
      lines.push(`${keep}: ${summary.bestOverall}`, '');
    }
  }
  if (summary.comparisons.length > 0) {
    lines.push('Paired differences in average reward ×100 on the same tasks (95% bootstrap interval):', '');
    lines.push(
      markdownTable(
        ['stage', 'vs', 'split', 'diff', '95% CI', 'tasks'],
        summary.comparisons.map((c) => [c.stage, c.baseline, c.split, signed(c.diff), `[${signed(c.ciLow)}, ${signed(c.ciHigh)}]`, String(c.episodes)]),
      ),
      '',
    );
  }
  lines.push(`Wall time: ${summary.wallSeconds.toFixed(0)} s`, '');
  return lines.join('\n');
}

function signed(value: number): string {
  return (value >= 0 ? '+' : '') + value.toFixed(1);
}

function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => '| ' + cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ') + ' |';
  return [line(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}

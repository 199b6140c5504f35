// The report's public API: writeReport(runDir) renders runs/NAME/report.html from the run's record files only.
import { join } from 'node:path';
import { writeFileAtomic } from '../data/jsonl.ts';
import { loadRunRecords } from './load-run.ts';
import { buildReportData } from './report-data.ts';
import { renderReportHtml } from './render-html.ts';

export { loadRunRecords, type RunRecords } from './load-run.ts';
export { buildReportData, type ReportData } from './report-data.ts';
export { renderReportHtml, embedJson } from './render-html.ts';
export { firstDivergentTurn } from './divergence.ts';

export interface ReportOptions {
  /** Output file; default `<runDir>/report.html`. */
  out?: string;
}

/** Renders the run's report page, writes it atomically and returns the path written. */
export function writeReport(runDir: string, options: ReportOptions = {}): string {
  const out = options.out ?? join(runDir, 'report.html');
  writeFileAtomic(out, renderReportHtml(buildReportData(loadRunRecords(runDir))));
  return out;
}

// `eto report runs/NAME [--out FILE]`: renders the run's self-contained HTML report from its record files.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError } from '../../errors.ts';
import { writeReport } from '../../report/index.ts';

export function register(program: Command): void {
  program
    .command('report <runDir>')
    .description('write <runDir>/report.html: results table, charts, pair and episode browsers (one offline page)')
    .option('--out <file>', 'output HTML file (default <runDir>/report.html)')
    .action((runDir: string, options: { out?: string }) => {
      if (!existsSync(runDir)) throw new ConfigError('<runDir>', `run directory ${runDir} does not exist`);
      const written = writeReport(runDir, options.out === undefined ? {} : { out: options.out });
      process.stdout.write(`wrote ${written}\n`);
    });
}

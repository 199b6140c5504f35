// `npm run bench -- NAME [args]`: runs bench/NAME.ts, which prints one JSON line per case.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [name, ...rest] = process.argv.slice(2);
const available = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts')
  .map((file) => file.slice(0, -3));
if (!name || !existsSync(join(here, `${name}.ts`))) {
  console.error(`usage: npm run bench -- NAME   (available: ${available.join(', ') || 'none yet'})`);
  process.exit(2);
}
if (rest.includes('--help') || rest.includes('-h')) {
  // every bench opens with a comment that gives its usage and what it measures: print it instead of running
  const lines = readFileSync(join(here, `${name}.ts`), 'utf8').split('\n');
  const header = lines.slice(0, Math.max(0, lines.findIndex((line) => !line.startsWith('//'))));
  console.log(header.map((line) => line.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}
const bench = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as { run(args: string[]): Promise<void> };
await bench.run(rest);

// The eto command line. The only place (with cli/*) that reads argv, environment variables or the clock.
// Each command group lives in cli/commands/<group>.ts and exports `register(program)`.
import { Command, CommanderError } from 'commander';
import { AppError } from '../errors.ts';
import { commandGroups } from './commands/index.ts';

export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('eto')
    .description('Exploration-based Trajectory Optimization: teach LLM agents from their own failed runs')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });
  for (const register of commandGroups) register(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here with code 0; usage errors are exit 2
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof AppError) {
    process.stderr.write(`eto: ${error.message}\n`);
    return error.exitCode;
  }
  process.stderr.write(`eto: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

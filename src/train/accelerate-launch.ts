// Runs one `accelerate launch ... python/<script>` as a subprocess: its "eto-train {json}" stdout lines become
// progress callbacks, its other output goes to the run log, and a failure becomes a TrainingError naming the
// stage and step (the script prints "eto-train error: <stage> (iteration k) step s: ..." for NaN/inf).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { TrainingError } from '../errors.ts';
import type { TrainCallbacks } from './trainer-backend.ts';

export interface LaunchCommand {
  command: string;
  args: string[];
}

/** What an error names when the script did not say which step failed. */
export interface LaunchContext {
  stage: string;
  iteration: number;
}

const EVENT_PREFIX = 'eto-train ';
const ERROR_PREFIX = 'eto-train error: ';
const STDERR_TAIL_LINES = 20;

export function runLaunch(
  launch: LaunchCommand,
  context: LaunchContext,
  callbacks: TrainCallbacks,
  log: (line: string) => void,
): Promise<{ steps: number; lastLoss: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(launch.command, launch.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let steps = 0;
    let lastLoss = Number.NaN;
    let scriptError: string | undefined;
    const stderrTail: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith(EVENT_PREFIX)) return log(line);
      const event = JSON.parse(line.slice(EVENT_PREFIX.length)) as Record<string, number | string>;
      if (event.event === 'start') callbacks.onStart?.(Number(event.totalSteps), Number(event.resumedAfter));
      if (event.event === 'step') {
        lastLoss = Number(event.loss);
        callbacks.onProgress?.({
          step: Number(event.step),
          totalSteps: Number(event.totalSteps),
          loss: lastLoss,
          tokens: Number(event.tokens),
        });
      }
      if (event.event === 'done') steps = Number(event.steps);
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (line.startsWith(ERROR_PREFIX)) scriptError = line.slice(ERROR_PREFIX.length);
      stderrTail.push(line);
      if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
    });
    child.on('error', (error) =>
      reject(
        new TrainingError(
          `${context.stage} (iteration ${context.iteration}): cannot start ` +
            `${launch.command} (${error.message}); run \`npm run setup:python\` or pass --python`,
        ),
      ),
    );
    child.on('close', (code, signal) => {
      if (code === 0 && steps > 0) return resolve({ steps, lastLoss });
      if (scriptError !== undefined) return reject(new TrainingError(scriptError));
      reject(
        new TrainingError(
          `${context.stage} (iteration ${context.iteration}): accelerate launch exited with ` +
            `${code ?? signal}; the step state is kept, rerun with --resume. Last output:\n${stderrTail.join('\n')}`,
        ),
      );
    });
  });
}

// Progress bars for pipeline stages (cli-progress): count, rate, ETA and a stage-specific note.
// On a non-terminal stderr (CI, tests, pipes) each stage prints one line when it ends instead.
import cliProgress from 'cli-progress';
import type { ProgressBar } from '../eto/deps.ts';

export function createProgressFactory(stream: NodeJS.WriteStream, now: () => number): (label: string, total: number, unit: string) => ProgressBar {
  return (label, total, unit) => {
    const started = now();
    let last = 0;
    let lastInfo = '';
    const rate = (done: number): string => {
      const seconds = (now() - started) / 1000;
      return seconds > 0 ? (done / seconds).toFixed(done / seconds >= 10 ? 0 : 2) : '0';
    };
    if (!stream.isTTY) {
      return {
        update(done, info) {
          last = done;
          lastInfo = info ?? lastInfo;
        },
        stop() {
          const seconds = ((now() - started) / 1000).toFixed(1);
          stream.write(`${label}: ${last}/${total} ${unit} in ${seconds} s (${rate(last)} ${unit}/s)${lastInfo ? ', ' + lastInfo : ''}\n`);
        },
      };
    }
    const bar = new cliProgress.SingleBar(
      {
        format: `${label.padEnd(24)} [{bar}] {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted} | {info}`,
        stream,
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rate: '0', info: '' });
    return {
      update(done, info) {
        last = done;
        bar.update(done, { rate: rate(done), info: info ?? '' });
      },
      stop() {
        bar.stop();
      },
    };
  };
}

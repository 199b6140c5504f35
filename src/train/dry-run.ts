// `--dry-run` on a trainer that hands work to another program: the job's dataset is written and the command
// lines are printed, then the stage stops here. Later stages need this stage's trained checkpoint, so the run
// ends with DryRunStop (exit code 0); the stage's folder is kept (it is not a refusal), a real run reuses it.
import { AppError } from '../errors.ts';

export class DryRunStop extends AppError {
  override name = 'DryRunStop';
  override readonly exitCode: number = 0;
  constructor(stage: string, dataDir: string) {
    super(
      `dry run: stopped before training ${stage}; its dataset is in ${dataDir} and the commands above are ` +
        'what eto would run (later stages need its checkpoint)',
    );
  }
}

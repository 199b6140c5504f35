// ALFWorld's named splits and their sizes (ETO: train 3321, valid_seen 140, valid_unseen 134), plus a
// dev split on seen floorplans with its own tasks, and the module options that configure them.
import { ConfigError } from '../../errors.ts';
import type { SplitInfo } from '../types.ts';
import type { FloorplanSet } from './generate.ts';

export interface AlfWorldOptions {
  /** World seed: floorplans and games derive from it. Default 0. */
  seed: number;
  sizes: { train: number; dev: number; seen: number; unseen: number };
}

export const DEFAULT_SIZES: AlfWorldOptions['sizes'] = { train: 3321, dev: 140, seen: 140, unseen: 134 };

export const FLOORPLAN_SET: Record<keyof AlfWorldOptions['sizes'], FloorplanSet> = {
  train: 'seen',
  dev: 'seen',
  seen: 'seen',
  unseen: 'unseen',
};

/** Reads `{seed?, sizes?: {train?, dev?, seen?, unseen?}}`; anything else is a ConfigError. */
export function readOptions(raw: Record<string, unknown> | undefined): AlfWorldOptions {
  const options: AlfWorldOptions = { seed: 0, sizes: { ...DEFAULT_SIZES } };
  if (!raw) return options;
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'seed') {
      if (!Number.isInteger(value)) throw new ConfigError('alfworld.seed', `expected an integer, got ${JSON.stringify(value)}`);
      options.seed = value as number;
    } else if (key === 'sizes') {
      for (const [name, size] of Object.entries((value ?? {}) as Record<string, unknown>)) {
        if (!(name in DEFAULT_SIZES)) throw new ConfigError(`alfworld.sizes.${name}`, `unknown split; known: ${Object.keys(DEFAULT_SIZES).join(', ')}`);
        if (!Number.isInteger(size) || (size as number) <= 0) throw new ConfigError(`alfworld.sizes.${name}`, `expected a positive integer, got ${JSON.stringify(size)}`);
        options.sizes[name as keyof AlfWorldOptions['sizes']] = size as number;
      }
    } else {
      throw new ConfigError(`alfworld.${key}`, 'unknown option; known: seed, sizes');
    }
  }
  return options;
}

export function splitInfos(options: AlfWorldOptions): SplitInfo[] {
  return [
    { name: 'train', size: options.sizes.train, role: 'train' },
    { name: 'dev', size: options.sizes.dev, role: 'dev', generalisation: 'seen' },
    { name: 'seen', size: options.sizes.seen, role: 'test', generalisation: 'seen' },
    { name: 'unseen', size: options.sizes.unseen, role: 'test', generalisation: 'unseen' },
  ];
}

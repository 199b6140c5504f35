// The ScienceWorld task families this port supports, in ETO's order, with ETO's step caps and split
// counts (benchmarks.md §3.8–§3.9). Families not listed here are not ported yet.
import type { TaskFamily } from './family.ts';
import { changeStateFamily } from './tasks/change-state.ts';
import { chemistryMixFamily } from './tasks/chemistry-mix.ts';
import { conductivityFamily, unknownConductivityFamily } from './tasks/conductivity.ts';
import { findFamily } from './tasks/find.ts';
import { growFruitFamily, growPlantFamily } from './tasks/grow-plant.ts';
import { lifeStagesAnimalFamily, lifeStagesPlantFamily } from './tasks/life-stages.ts';
import { lifespanFamily } from './tasks/lifespan.ts';
import { meltingPointFamily } from './tasks/melting-point.ts';
import { useThermometerFamily } from './tasks/thermometer.ts';
import { paintFamily } from './tasks/paint.ts';
import { powerComponentFamily, powerRenewableFamily } from './tasks/power.ts';

export const FAMILIES: TaskFamily[] = [
  changeStateFamily('boil', 'task-1-boil', 100, { train: 14, seen: 6, unseen: 9 }),
  changeStateFamily('melt', 'task-1-melt', 80, { train: 14, seen: 7, unseen: 9 }),
  changeStateFamily('freeze', 'task-1-freeze', 80, { train: 14, seen: 7, unseen: 9 }),
  changeStateFamily('change-state', 'task-1-change-the-state-of-matter-of', 80, { train: 14, seen: 7, unseen: 9 }),
  useThermometerFamily,
  meltingPointFamily,
  powerComponentFamily,
  powerRenewableFamily,
  conductivityFamily,
  unknownConductivityFamily,
  findFamily('living thing', 'find-living-thing', 'task-3-find-living-thing'),
  findFamily('non-living thing', 'find-non-living-thing', 'task-3-find-non-living-thing'),
  findFamily('plant', 'find-plant', 'task-3-find-plant'),
  findFamily('animal', 'find-animal', 'task-3-find-animal'),
  growPlantFamily,
  growFruitFamily,
  chemistryMixFamily,
  paintFamily('secondary'),
  paintFamily('tertiary'),
  lifespanFamily('longest', 'lifespan-longest-lived', 10, { train: 83, seen: 10, unseen: 10 }),
  lifespanFamily('shortest', 'lifespan-shortest-lived', 10, { train: 83, seen: 10, unseen: 10 }),
  lifespanFamily('longest-then-shortest', 'lifespan-longest-lived-then-shortest-lived', 12, { train: 78, seen: 10, unseen: 10 }),
  lifeStagesAnimalFamily,
  lifeStagesPlantFamily,
];

export function familyByName(name: string): TaskFamily | undefined {
  return FAMILIES.find((family) => family.name === name || family.legacyName === name);
}

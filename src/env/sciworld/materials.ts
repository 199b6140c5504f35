// Substances of the ScienceWorld port: state-of-matter names and transition points (°C), and a maker
// that returns a substance Thing in the right state for a temperature. Combustion is not modelled.
import type { Matter, MatterState, Thing, ThingFactory } from './things.ts';
import { stateFor } from './things.ts';

interface SubstanceSpec {
  meltingPoint: number;
  boilingPoint: number;
  /** Names per state; missing ones default to `solid X` / `X` / `gaseous X` around the base name. */
  names?: Partial<Record<MatterState, string>>;
  /** Which state the base name belongs to (default: the state at 25 °C). */
  baseState?: MatterState;
  conductive?: boolean;
  /** Can be set on fire with the lighter (boil accepts combustion for these). */
  combustible?: boolean;
}

export const AMBIENT_TEMPERATURE = 25;

const SPECS: Record<string, SubstanceSpec> = {
  water: { meltingPoint: 0, boilingPoint: 100, names: { solid: 'ice', liquid: 'water', gas: 'steam' }, conductive: true },
  'orange juice': { meltingPoint: -3, boilingPoint: 100 },
  'apple juice': { meltingPoint: -3, boilingPoint: 100 },
  chocolate: { meltingPoint: 35, boilingPoint: 180, combustible: true },
  marshmallow: { meltingPoint: 50, boilingPoint: 190, combustible: true },
  'ice cream': { meltingPoint: 0, boilingPoint: 100, baseState: 'solid' },
  soap: { meltingPoint: 50, boilingPoint: 200, combustible: true },
  rubber: { meltingPoint: 180, boilingPoint: 280, combustible: true },
  lead: { meltingPoint: 327, boilingPoint: 1749, conductive: true },
  tin: { meltingPoint: 232, boilingPoint: 2602, conductive: true },
  mercury: { meltingPoint: -39, boilingPoint: 357, conductive: true },
  gallium: { meltingPoint: 30, boilingPoint: 2400, conductive: true },
  caesium: { meltingPoint: 28, boilingPoint: 671, conductive: true },
  'sodium chloride': { meltingPoint: 801, boilingPoint: 1413 },
  soil: { meltingPoint: 1500, boilingPoint: 3000 },
  'unknown substance B': { meltingPoint: 1500, boilingPoint: 3000 },
  // Chemistry-mix ingredients and products that are substances.
  'salt water': { meltingPoint: -2, boilingPoint: 102, conductive: true },
  'soapy water': { meltingPoint: -1, boilingPoint: 100 },
  'sugar water': { meltingPoint: -1, boilingPoint: 101 },
  'acetic acid': { meltingPoint: 17, boilingPoint: 118, baseState: 'liquid' },
  'sodium bicarbonate': { meltingPoint: 50, boilingPoint: 851, baseState: 'solid' },
  'sodium acetate': { meltingPoint: 324, boilingPoint: 881 },
  sugar: { meltingPoint: 186, boilingPoint: 300 },
  flour: { meltingPoint: 1000, boilingPoint: 2000 },
  rust: { meltingPoint: 1565, boilingPoint: 2800 },
  jam: { meltingPoint: 50, boilingPoint: 105 },
  air: { meltingPoint: -300, boilingPoint: -200, names: { solid: 'air', liquid: 'air', gas: 'air' } },
};

const PAINTS = [
  'red', 'blue', 'yellow', 'green', 'orange', 'violet',
  'yellow-green', 'blue-green', 'blue-violet', 'red-violet', 'red-orange', 'yellow-orange',
];
for (const colour of PAINTS) SPECS[`${colour} paint`] = { meltingPoint: -10, boilingPoint: 100 };

export function isKnownSubstance(name: string): boolean {
  return name in SPECS;
}

export function matterFor(base: string): Matter {
  const spec = SPECS[base];
  if (!spec) throw new Error(`unknown substance "${base}"`);
  const baseState = spec.baseState ?? stateFor({ ...spec, state: 'solid', names: emptyNames() }, AMBIENT_TEMPERATURE);
  const names: Record<MatterState, string> = {
    solid: baseState === 'solid' ? base : `solid ${base}`,
    liquid: baseState === 'liquid' ? base : `liquid ${base}`,
    gas: baseState === 'gas' ? base : `gaseous ${base}`,
    ...spec.names,
  };
  return { state: baseState, meltingPoint: spec.meltingPoint, boilingPoint: spec.boilingPoint, names };
}

/** A substance Thing at `temperature`, named for the state it is in there. */
export function makeSubstance(factory: ThingFactory, base: string, temperature = AMBIENT_TEMPERATURE): Thing {
  const matter = matterFor(base);
  const state = stateFor(matter, temperature);
  matter.state = state;
  const spec = SPECS[base];
  return factory.make('substance', matter.names[state], {
    matter,
    temperature,
    conductivity: base === 'air' ? 0 : 1,
    aliases: ['substance'],
    conductive: spec?.conductive ?? false,
    ...(spec?.combustible ? { combustible: true } : {}),
  });
}

function emptyNames(): Record<MatterState, string> {
  return { solid: '', liquid: '', gas: '' };
}

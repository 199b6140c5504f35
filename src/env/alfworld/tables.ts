// ALFWorld's static knowledge (benchmarks.md §2.4): receptacles per room kind, portable objects with the
// receptacle types that can hold them (in prior order: most likely first), openable classes and the
// heat/cool/clean/toggle capability sets. Plain data; generation and rules live elsewhere.

export type RoomKind = 'kitchen' | 'livingroom' | 'bedroom' | 'bathroom';
export const ROOM_KINDS: readonly RoomKind[] = ['kitchen', 'livingroom', 'bedroom', 'bathroom'];

/** Receptacle type → [min, max] instances per floorplan of a kind. */
export const ROOM_RECEPTACLES: Record<RoomKind, Record<string, [number, number]>> = {
  kitchen: {
    cabinet: [6, 14], drawer: [2, 7], countertop: [1, 3], diningtable: [0, 1], fridge: [1, 1], microwave: [1, 1],
    sinkbasin: [1, 2], stoveburner: [2, 4], coffeemachine: [1, 1], toaster: [1, 1], garbagecan: [1, 1],
    shelf: [0, 3], sidetable: [0, 1],
  },
  livingroom: {
    sofa: [1, 1], armchair: [0, 2], coffeetable: [1, 2], sidetable: [1, 2], diningtable: [0, 1], drawer: [0, 6],
    cabinet: [0, 4], dresser: [0, 1], tvstand: [0, 1], shelf: [1, 5], garbagecan: [1, 1], ottoman: [0, 1], safe: [0, 1],
  },
  bedroom: {
    bed: [1, 1], desk: [0, 1], dresser: [0, 1], drawer: [2, 8], sidetable: [1, 2], shelf: [1, 5], garbagecan: [1, 1],
    laundryhamper: [0, 1], armchair: [0, 1], safe: [0, 1], cabinet: [0, 2],
  },
  bathroom: {
    toilet: [1, 1], sinkbasin: [1, 2], bathtubbasin: [0, 1], cabinet: [1, 4], countertop: [1, 1], drawer: [0, 4],
    garbagecan: [1, 1], handtowelholder: [0, 2], towelholder: [1, 1], toiletpaperhanger: [1, 1], shelf: [0, 2],
    cart: [0, 1], dresser: [0, 1],
  },
};

/** Receptacle classes that can be openable; whether an instance is, is decided per floorplan. */
export const OPENABLE_CLASSES = new Set(['fridge', 'cabinet', 'microwave', 'drawer', 'safe']);
/** Probability that an instance of an openable class has a door (cabinets and drawers may be open shelving). */
export const OPENABLE_PROBABILITY: Record<string, number> = { fridge: 1, microwave: 1, safe: 1, cabinet: 0.8, drawer: 0.85 };

const CUTLERY = ['countertop', 'drawer', 'diningtable', 'sinkbasin', 'sidetable'];

/** Portable object type → receptacle types that can hold it, most likely first (canContain + search prior). */
export const OBJECT_HOMES: Record<string, readonly string[]> = {
  apple: ['countertop', 'diningtable', 'fridge', 'sidetable', 'garbagecan', 'sinkbasin', 'microwave'],
  bread: ['countertop', 'diningtable', 'fridge', 'sidetable', 'microwave', 'garbagecan'],
  egg: ['fridge', 'countertop', 'diningtable', 'sinkbasin', 'garbagecan', 'microwave', 'sidetable'],
  lettuce: ['fridge', 'countertop', 'diningtable', 'sinkbasin', 'garbagecan', 'sidetable'],
  potato: ['fridge', 'countertop', 'diningtable', 'sinkbasin', 'garbagecan', 'microwave', 'sidetable'],
  tomato: ['countertop', 'fridge', 'diningtable', 'sinkbasin', 'garbagecan', 'microwave', 'sidetable'],
  bowl: ['cabinet', 'countertop', 'diningtable', 'fridge', 'sinkbasin', 'microwave', 'shelf', 'sidetable', 'desk', 'dresser'],
  cup: ['countertop', 'cabinet', 'diningtable', 'fridge', 'sinkbasin', 'microwave', 'shelf', 'sidetable'],
  mug: ['coffeemachine', 'cabinet', 'countertop', 'diningtable', 'fridge', 'sinkbasin', 'microwave', 'shelf', 'sidetable', 'desk', 'dresser'],
  plate: ['cabinet', 'countertop', 'diningtable', 'fridge', 'sinkbasin', 'microwave', 'shelf', 'sidetable'],
  pan: ['stoveburner', 'cabinet', 'countertop', 'diningtable', 'fridge', 'sinkbasin'],
  pot: ['stoveburner', 'cabinet', 'countertop', 'diningtable', 'fridge', 'sinkbasin', 'shelf'],
  kettle: ['stoveburner', 'countertop', 'cabinet', 'diningtable', 'sinkbasin', 'shelf'],
  butterknife: CUTLERY,
  knife: CUTLERY,
  fork: CUTLERY,
  spoon: CUTLERY,
  spatula: CUTLERY,
  ladle: CUTLERY,
  dishsponge: ['sinkbasin', 'countertop', 'cabinet', 'drawer', 'cart', 'toilet', 'diningtable', 'garbagecan'],
  peppershaker: ['countertop', 'cabinet', 'drawer', 'diningtable', 'shelf', 'sidetable'],
  saltshaker: ['countertop', 'cabinet', 'drawer', 'diningtable', 'shelf', 'sidetable'],
  soapbottle: ['countertop', 'toilet', 'cabinet', 'shelf', 'cart', 'garbagecan', 'diningtable'],
  winebottle: ['fridge', 'countertop', 'cabinet', 'diningtable', 'shelf', 'garbagecan', 'sidetable'],
  glassbottle: ['countertop', 'fridge', 'cabinet', 'diningtable', 'shelf', 'garbagecan', 'sidetable'],
  papertowelroll: ['countertop', 'diningtable', 'cabinet', 'garbagecan', 'sidetable'],
  creditcard: ['coffeetable', 'sidetable', 'countertop', 'diningtable', 'drawer', 'dresser', 'sofa', 'armchair', 'desk', 'shelf', 'safe'],
  cellphone: ['coffeetable', 'sidetable', 'bed', 'sofa', 'desk', 'countertop', 'diningtable', 'armchair', 'dresser', 'drawer', 'safe', 'shelf'],
  remotecontrol: ['coffeetable', 'sofa', 'armchair', 'sidetable', 'tvstand', 'dresser', 'drawer', 'ottoman'],
  keychain: ['coffeetable', 'sidetable', 'drawer', 'dresser', 'sofa', 'armchair', 'safe', 'shelf', 'ottoman', 'desk'],
  newspaper: ['coffeetable', 'sofa', 'armchair', 'sidetable', 'diningtable', 'garbagecan', 'ottoman'],
  laptop: ['coffeetable', 'sofa', 'bed', 'desk', 'armchair', 'diningtable', 'sidetable', 'ottoman'],
  pillow: ['sofa', 'armchair', 'bed', 'ottoman'],
  book: ['shelf', 'coffeetable', 'sidetable', 'desk', 'bed', 'sofa', 'dresser', 'drawer', 'diningtable'],
  box: ['coffeetable', 'sidetable', 'shelf', 'sofa', 'dresser', 'diningtable', 'cabinet', 'armchair', 'ottoman'],
  statue: ['shelf', 'coffeetable', 'sidetable', 'dresser', 'diningtable', 'safe', 'tvstand', 'cabinet'],
  vase: ['shelf', 'coffeetable', 'sidetable', 'dresser', 'diningtable', 'safe', 'cabinet', 'tvstand'],
  watch: ['sidetable', 'coffeetable', 'dresser', 'drawer', 'safe', 'shelf', 'desk'],
  tissuebox: ['coffeetable', 'sidetable', 'dresser', 'toilet', 'countertop', 'shelf', 'desk', 'cart', 'garbagecan'],
  cd: ['desk', 'drawer', 'shelf', 'sidetable', 'dresser', 'safe', 'garbagecan', 'coffeetable'],
  pen: ['desk', 'drawer', 'sidetable', 'shelf', 'dresser', 'coffeetable'],
  pencil: ['desk', 'drawer', 'sidetable', 'shelf', 'dresser', 'coffeetable'],
  alarmclock: ['desk', 'sidetable', 'dresser', 'shelf'],
  candle: ['countertop', 'toilet', 'cabinet', 'shelf', 'cart', 'bathtubbasin', 'drawer', 'dresser'],
  cloth: ['countertop', 'cabinet', 'bathtubbasin', 'sinkbasin', 'toilet', 'drawer', 'cart', 'laundryhamper', 'dresser', 'bed'],
  handtowel: ['handtowelholder', 'countertop', 'cabinet', 'cart'],
  towel: ['towelholder', 'bathtubbasin', 'cart', 'cabinet', 'countertop', 'laundryhamper'],
  soapbar: ['sinkbasin', 'bathtubbasin', 'countertop', 'toilet', 'cabinet', 'cart', 'drawer', 'garbagecan'],
  spraybottle: ['toilet', 'countertop', 'cabinet', 'cart', 'shelf', 'garbagecan', 'drawer'],
  toiletpaper: ['toiletpaperhanger', 'toilet', 'countertop', 'cabinet', 'cart', 'drawer', 'garbagecan', 'shelf'],
};

/** Portable object types that appear in each room kind. */
export const ROOM_OBJECTS: Record<RoomKind, readonly string[]> = {
  kitchen: [
    'apple', 'bread', 'egg', 'lettuce', 'potato', 'tomato', 'bowl', 'cup', 'mug', 'plate', 'pan', 'pot', 'kettle',
    'butterknife', 'knife', 'fork', 'spoon', 'spatula', 'ladle', 'dishsponge', 'peppershaker', 'saltshaker',
    'soapbottle', 'winebottle', 'glassbottle', 'papertowelroll', 'creditcard', 'cellphone',
  ],
  livingroom: [
    'remotecontrol', 'keychain', 'creditcard', 'cellphone', 'newspaper', 'laptop', 'pillow', 'book', 'box', 'statue',
    'vase', 'watch', 'tissuebox',
  ],
  bedroom: [
    'alarmclock', 'book', 'cd', 'cellphone', 'creditcard', 'keychain', 'laptop', 'mug', 'pen', 'pencil', 'pillow',
    'remotecontrol', 'cloth', 'bowl', 'box', 'tissuebox', 'watch',
  ],
  bathroom: ['candle', 'cloth', 'handtowel', 'towel', 'soapbar', 'soapbottle', 'spraybottle', 'toiletpaper', 'tissuebox', 'dishsponge'],
};

/** Lamps are toggleable, not portable, and stand on one of these receptacle types. */
export const LAMP_TYPES = ['desklamp', 'floorlamp'] as const;
export const LAMP_HOSTS = ['desk', 'sidetable', 'dresser'];

export const HEATABLE = new Set(['apple', 'bread', 'cup', 'egg', 'mug', 'plate', 'potato', 'tomato']);
export const COOLABLE = new Set(['apple', 'bowl', 'bread', 'cup', 'egg', 'lettuce', 'mug', 'pan', 'plate', 'pot', 'potato', 'tomato', 'winebottle']);
export const CLEANABLE = new Set([
  'apple', 'bowl', 'butterknife', 'cloth', 'cup', 'dishsponge', 'egg', 'fork', 'kettle', 'knife', 'ladle', 'lettuce', 'mug',
  'pan', 'plate', 'pot', 'potato', 'soapbar', 'spatula', 'spoon', 'tomato',
]);
export const TOGGLEABLE = new Set<string>(LAMP_TYPES);

export function canContain(receptacleType: string, objectType: string): boolean {
  return OBJECT_HOMES[objectType]?.includes(receptacleType) ?? false;
}

/** ALFRED floorplan numbers per kind, and the four that ETO's valid_unseen uses (never in train). */
export const FLOORPLANS: Record<RoomKind, readonly number[]> = {
  kitchen: range(1, 30),
  livingroom: range(201, 230),
  bedroom: range(301, 330),
  bathroom: range(401, 430),
};
export const UNSEEN_FLOORPLANS: Record<RoomKind, number> = { kitchen: 10, livingroom: 219, bedroom: 308, bathroom: 424 };

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** The appliance a clean, heat or cool task is done with (by task type). */
export const APPLIANCE: Readonly<Record<string, string>> = { clean: 'sinkbasin', heat: 'microwave', cool: 'fridge' };

export interface DemoProduct {
  name: string;
  description: string;
  price: number;
  category: string;
  stock_quantity: number;
  sku: string;
  image_url: string;
}

interface CategorySpec {
  name: string;
  code: string;
  count: number;
  /** Price range in integer cents, inclusive. */
  cents: [number, number];
  adjectives: string[];
  nouns: string[];
  variants: string[];
  pitch: string[];
}

// Books is the largest list and Pets the smallest so pagination and filters see uneven sizes.
const CATEGORIES: CategorySpec[] = [
  {
    name: 'Electronics',
    code: 'ELEC',
    count: 25,
    cents: [1999, 199999],
    adjectives: ['Wireless', 'Compact', 'Smart', 'Portable', 'Ultra', 'Digital'],
    nouns: ['Headphones', 'Speaker', 'Charger', 'Webcam', 'Monitor', 'Keyboard'],
    variants: ['Pro', 'Mini', 'Max', '2nd Gen'],
    pitch: ['Plug it in and it just works.', 'Ships with a two-year warranty.', 'Low power draw keeps it cool.'],
  },
  {
    name: 'Books',
    code: 'BOOK',
    count: 36,
    cents: [499, 8999],
    adjectives: ['Illustrated', 'Complete', 'Pocket', 'Essential', 'Annotated', 'Modern', 'Little'],
    nouns: ['Cookbook', 'Atlas', 'Field Guide', 'Novel', 'Poetry Collection', 'Travel Journal'],
    variants: ['Hardcover', 'Paperback', 'Second Edition'],
    pitch: ['A favourite for long evenings.', 'Printed on acid-free paper.', 'Makes a thoughtful gift.'],
  },
  {
    name: 'Home & Kitchen',
    code: 'HOME',
    count: 25,
    cents: [799, 49999],
    adjectives: ['Ceramic', 'Stainless', 'Nonstick', 'Bamboo', 'Cast Iron', 'Glass'],
    nouns: ['Skillet', 'Kettle', 'Salt & Pepper Mill', 'Cutting Board', 'Mixing Bowl', 'Teapot'],
    variants: ['Large', 'Set of 2', 'Family Size'],
    pitch: ['Dishwasher safe for easy cleanup.', 'Built to last through daily use.', 'Looks good on any counter.'],
  },
  {
    name: 'Garden',
    code: 'GARD',
    count: 25,
    cents: [599, 39999],
    adjectives: ['Weatherproof', 'Folding', 'Heavy-Duty', 'Solar', 'Raised', 'Ergonomic'],
    nouns: ['Planter', 'Hose Reel', 'Pruning Shears', 'Garden Light', 'Trowel', 'Bird Feeder'],
    variants: ['Green', 'Terracotta', 'XL'],
    pitch: [
      'Handles rain, frost and summer sun.',
      'Assembles in minutes without tools.',
      'Made with recycled materials.',
    ],
  },
  {
    name: 'Toys',
    code: 'TOYS',
    count: 25,
    cents: [399, 14999],
    adjectives: ['Wooden', 'Plush', 'Magnetic', 'Musical', 'Glow-in-the-Dark', 'Stacking'],
    nouns: ['Puzzle', 'Train Set', 'Building Blocks', 'Teddy Bear', 'Kite', 'Robot'],
    variants: ['Deluxe', 'Starter Kit', 'Rainbow'],
    pitch: ['Safety tested for ages three and up.', 'Hours of screen-free fun.', 'Packs away neatly after play.'],
  },
  {
    name: 'Sports',
    code: 'SPRT',
    count: 25,
    cents: [999, 89999],
    adjectives: ['Lightweight', 'Adjustable', 'Insulated', 'Breathable', 'Reflective', 'Foldable'],
    nouns: ['Yoga Mat', 'Water Bottle', 'Dumbbell Set', 'Running Belt', 'Tennis Racket', 'Jump Rope'],
    variants: ['Blue', 'Black', 'Competition'],
    pitch: [
      'Ready for the gym or the trail.',
      'Sweat resistant and easy to wipe down.',
      'Chosen by amateur and pro athletes.',
    ],
  },
  {
    name: 'Beauty',
    code: 'BEAU',
    count: 25,
    cents: [299, 12999],
    adjectives: ['Hydrating', 'Gentle', 'Vitamin C', 'Fragrance-Free', 'Overnight', 'Mineral'],
    nouns: ['Face Serum', 'Lip Balm', 'Hand Cream', 'Cleanser', 'Sunscreen', 'Hair Oil'],
    variants: ['30 ml', '100 ml', 'Travel Size'],
    pitch: ['Dermatologist tested.', 'Never tested on animals.', 'Suitable for sensitive skin.'],
  },
  {
    name: 'Grocery',
    code: 'GROC',
    count: 25,
    cents: [199, 4999],
    adjectives: ['Organic', 'Roasted', 'Wholegrain', 'Wildflower', 'Smoked', 'Sparkling'],
    nouns: ['Coffee Beans', 'Honey', 'Pasta', 'Olive Oil', 'Granola', 'Sea Salt'],
    variants: ['500 g', 'Value Pack', '1 kg'],
    pitch: ['Sourced from small producers.', 'Store in a cool, dry place.', 'No artificial flavours.'],
  },
  {
    name: 'Clothing',
    code: 'CLTH',
    count: 25,
    cents: [999, 29999],
    adjectives: ['Cotton', 'Merino', 'Linen', 'Waterproof', 'Relaxed', 'Slim-Fit'],
    nouns: ['T-Shirt', 'Hoodie', 'Rain Jacket', 'Chinos', 'Cardigan', 'Scarf'],
    variants: ['Navy', 'Charcoal', 'Olive'],
    pitch: ['Machine washable.', 'Cut for comfort all day.', 'Fabric from certified mills.'],
  },
  {
    name: 'Shoes',
    code: 'SHOE',
    count: 25,
    cents: [1999, 34999],
    adjectives: ['Leather', 'Trail', 'Canvas', 'Cushioned', 'Suede', 'Slip-On'],
    nouns: ['Sneakers', 'Boots', 'Loafers', 'Sandals', 'Running Shoes', 'Slippers'],
    variants: ['Wide Fit', 'White', 'Brown'],
    pitch: ['Grippy soles for wet pavements.', 'Breaks in quickly.', 'Free exchanges on sizing.'],
  },
  {
    name: 'Office',
    code: 'OFFC',
    count: 25,
    cents: [199, 79999],
    adjectives: ['Ergonomic', 'Refillable', 'Recycled', 'Stackable', 'Magnetic', 'Standing'],
    nouns: ['Desk Chair', 'Notebook', 'Desk Organiser', 'Whiteboard', 'Desk Lamp', 'Fountain Pen'],
    variants: ['A5', 'Graphite', 'Twin Pack'],
    pitch: ['Keeps your desk tidy.', 'Designed for long working days.', 'Backed by a one-year guarantee.'],
  },
  {
    name: 'Pets',
    code: 'PETS',
    count: 14,
    cents: [299, 24999],
    adjectives: ['Chew-Proof', 'Orthopedic', 'Grain-Free', 'Interactive'],
    nouns: ['Dog Bed', 'Cat Tree', 'Pet Treats', 'Leash'],
    variants: ['Small', 'Large'],
    pitch: ['Approved by picky pets.', 'Easy to clean.', 'Vet recommended.'],
  },
];

const OPENERS = [
  (name: string) => `The ${name} is a reliable everyday choice.`,
  (name: string) => `Meet the ${name}, one of our customer favourites.`,
  (name: string) => `Our ${name} balances quality and value.`,
  (name: string) => `The ${name} arrives ready to use.`,
];

/** mulberry32: tiny, fast and good enough for demo data; same seed, same sequence. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Seeding per category keeps one category's data stable when another's word lists change.
function hashSeed(text: string): number {
  let hash = 2166136261;
  for (const ch of text) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619);
  return hash >>> 0;
}

const pickInt = (random: () => number, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));
const pickOne = <T>(random: () => number, items: T[]): T => items[Math.floor(random() * items.length)]!;

function shuffle<T>(random: () => number, items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// Shop-like endings (.99, .49, .95, .00), clamped so a price never leaves the category range.
function pickPriceCents(random: () => number, [min, max]: [number, number]): number {
  // Squaring skews towards cheaper items, as in a real catalogue.
  const dollars = Math.floor((min + random() * random() * (max - min)) / 100);
  const cents = dollars * 100 + pickOne(random, [99, 99, 49, 95, 0]);
  return Math.min(max, Math.max(min, cents));
}

// About 5% out of stock and 10% low stock, so badges and "sold out" paths have data.
function pickStock(random: () => number): number {
  const roll = random();
  if (roll < 0.05) return 0;
  if (roll < 0.15) return pickInt(random, 1, 5);
  return pickInt(random, 6, 250);
}

function buildCategory(spec: CategorySpec, usedNames: Set<string>): DemoProduct[] {
  const random = createRandom(hashSeed(spec.code));
  const pairs = spec.adjectives.flatMap((adjective) => spec.nouns.map((noun) => `${adjective} ${noun}`));
  const products: DemoProduct[] = [];
  for (const base of shuffle(random, pairs)) {
    if (products.length === spec.count) break;
    const name = random() < 0.35 ? `${base} ${pickOne(random, spec.variants)}` : base;
    if (usedNames.has(name)) continue;
    usedNames.add(name);
    const sku = `${spec.code}-${String(products.length + 1).padStart(4, '0')}`;
    products.push({
      name,
      description: `${pickOne(random, OPENERS)(name)} ${pickOne(random, spec.pitch)}`,
      price: pickPriceCents(random, spec.cents) / 100,
      category: spec.name,
      stock_quantity: pickStock(random),
      sku,
      image_url: `/api/products/images/${sku}.svg`,
    });
  }
  if (products.length < spec.count) throw new Error(`not enough name combinations for ${spec.name}`);
  return products;
}

/** 300 products over 12 categories; identical on every call so seeds and tests can rely on it. */
export function demoCatalog(): DemoProduct[] {
  const usedNames = new Set<string>();
  return CATEGORIES.flatMap((spec) => buildCategory(spec, usedNames));
}

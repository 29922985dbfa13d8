import { isIP } from 'node:net';
import { DomainError, type FieldProblem } from '@emporium/kit';

/** What the products table holds; `holds` and `search_text` never leave the service. */
export interface ProductItem extends Product {
  search_text: string;
  /** Order ids whose reservation currently holds stock of this product (the idempotency marker). */
  holds?: Set<string>;
  low_stock_threshold?: number;
  /** Orders image updates from the image function: a repeat or an older upload changes nothing. */
  image_version?: string;
}

export interface Product {
  id: number;
  name: string;
  description: string;
  price: number;
  category: string;
  stock_quantity: number;
  image_url: string | null;
  thumbnail_url: string | null;
  sku: string;
  created_at: string;
  updated_at: string;
}

export function toProduct(item: ProductItem): Product {
  return {
    id: item.id,
    name: item.name,
    description: item.description,
    price: item.price,
    category: item.category,
    stock_quantity: item.stock_quantity,
    image_url: item.image_url ?? null,
    thumbnail_url: item.thumbnail_url ?? null,
    sku: item.sku,
    created_at: item.created_at,
    updated_at: item.updated_at,
  };
}

export const searchTextOf = (name: string, description: string): string => `${name}\n${description}`.toLowerCase();

export const SKU_PATTERN = '^[A-Z0-9][A-Z0-9-]{2,31}$';
export const SELF_HOSTED_IMAGE = /^\/api\/products\/images\/[A-Za-z0-9-]{1,64}\.svg$/;

/** Money is exact to the cent: 19.99 is fine, 19.999 and -1 are not. */
export function priceProblem(price: number): string | undefined {
  if (!Number.isFinite(price) || price < 0) return 'must be a non-negative amount';
  if (price > 1_000_000) return 'must be at most 1000000';
  const cents = price * 100;
  if (Math.abs(cents - Math.round(cents)) > 1e-6) return 'must have at most two decimals';
  return undefined;
}

/**
 * A price filter bound in whole cents, the unit every price is stored in: `min` rounds up and `max` down,
 * which selects the same products, and odd inputs (1e-313, 19.999) never reach the store as odd numbers.
 */
export function priceBound(value: number | undefined, side: 'min' | 'max'): number | undefined {
  if (value === undefined) return undefined;
  const cents = value * 100;
  const near = Math.round(cents);
  if (Math.abs(cents - near) < 1e-6) return near / 100;
  return (side === 'min' ? Math.ceil(cents) : Math.floor(cents)) / 100;
}

export const roundPrice = (price: number): number => Math.round(price * 100) / 100;

const BLOCKED_HOSTS = new Set([
  'localhost',
  'metadata',
  'metadata.google.internal',
  'instance-data',
  'metadata.azure.com',
]);

function isBlockedIPv4(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) ||
    a >= 224
  );
}

function isBlockedIPv6(ip: string): boolean {
  const v = ip.toLowerCase();
  if (v === '::' || v === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v);
  if (mapped) return isBlockedIPv4(mapped[1]!);
  if (/^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(v)) return true; // mapped IPv4 in hex form: refuse rather than decode
  return /^f[cd]/.test(v) || /^fe[89ab]/.test(v) || v.startsWith('ff');
}

/**
 * Image URLs are shown to browsers and may one day be fetched by a thumbnailer, so they must be
 * public http(s) addresses: no loopback, private, link-local or cloud-metadata hosts. Images the
 * service hosts itself are given as a path.
 */
export function imageUrlProblem(value: string): string | undefined {
  if (SELF_HOSTED_IMAGE.test(value)) return undefined;
  if (value.length > 2048) return 'must be at most 2048 characters';
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'must use http or https';
  if (u.username || u.password) return 'must not carry credentials';
  // The URL parser has already turned forms like 2130706433 or 0x7f.1 into dotted IPv4.
  const host = u.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (BLOCKED_HOSTS.has(host) || host.endsWith('.localhost') || host.endsWith('.internal'))
    return 'must not point at an internal host';
  const kind = isIP(host);
  if ((kind === 4 && isBlockedIPv4(host)) || (kind === 6 && isBlockedIPv6(host)))
    return 'must not point at a loopback, private, link-local or metadata address';
  return undefined;
}

/** Checks the rules JSON Schema cannot express; throws one validation error listing them all. */
export function assertProductRules(input: { price?: number | undefined; image_url?: string | null | undefined }): void {
  const fields: FieldProblem[] = [];
  if (input.price !== undefined) {
    const p = priceProblem(input.price);
    if (p) fields.push({ field: 'price', message: p });
  }
  if (typeof input.image_url === 'string') {
    const p = imageUrlProblem(input.image_url);
    if (p) fields.push({ field: 'image_url', message: p });
  }
  if (fields.length) throw new DomainError('validation_failed', 'validation', 'The product is invalid.', { fields });
}

/** True when a stock change crosses the threshold downwards: the moment to raise a low-stock alert. */
export const crossesLowStock = (before: number, after: number, threshold: number): boolean =>
  before > threshold && after <= threshold;

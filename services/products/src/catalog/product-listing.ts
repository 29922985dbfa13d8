import { createHash } from 'node:crypto';
import { DomainError } from '@emporium/kit';
import type { Key, ListFilter, ProductRepository } from './product-repository.ts';
import { toProduct, type Product, type ProductItem } from './product.ts';

export interface ListQuery extends ListFilter {
  limit: number;
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

const MAX_PAGES_PER_REQUEST = 50;
const fingerprint = (f: ListFilter) =>
  createHash('sha256')
    .update(
      JSON.stringify([f.category ?? null, f.q ?? null, f.minPrice ?? null, f.maxPrice ?? null, f.inStock ?? false]),
    )
    .digest('base64url')
    .slice(0, 10);

// The cursor is opaque to clients: DynamoDB's position, bound to the filter it was made for.
export function encodeCursor(key: Key, filter: ListFilter): string {
  return Buffer.from(JSON.stringify({ k: key, f: fingerprint(filter) })).toString('base64url');
}

export function decodeCursor(cursor: string, filter: ListFilter): Key {
  const invalid = () =>
    new DomainError('invalid_cursor', 'validation', 'The cursor is not valid for this query.', {
      fields: [{ field: 'cursor', message: 'is invalid for this query' }],
    });
  let parsed: { k?: unknown; f?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const k = parsed.k as Key | undefined;
  if (parsed.f !== fingerprint(filter) || !k || typeof k !== 'object' || typeof k['id'] !== 'number') throw invalid();
  if (filter.category && k['category'] !== filter.category) throw invalid();
  return filter.category ? { id: k['id'], category: k['category'] } : { id: k['id'] };
}

const keyOf = (item: ProductItem, filter: ListFilter): Key =>
  filter.category ? { id: item.id, category: item.category } : { id: item.id };

/**
 * Fills a page of `limit` matches. DynamoDB filters after it counts, so a page may take several
 * calls; when a page fills mid-way, the cursor points at the last item returned, never past it.
 */
export async function listProducts(repo: ProductRepository, query: ListQuery): Promise<Page<Product>> {
  const filter: ListFilter = {
    category: query.category,
    q: query.q,
    minPrice: query.minPrice,
    maxPrice: query.maxPrice,
    inStock: query.inStock,
  };
  let start = query.cursor ? decodeCursor(query.cursor, filter) : undefined;
  const items: ProductItem[] = [];
  for (let pages = 0; pages < MAX_PAGES_PER_REQUEST; pages++) {
    const evaluate = Math.max(
      query.limit - items.length,
      filter.q || filter.inStock || filter.minPrice || filter.maxPrice ? 100 : 0,
    );
    const page = await repo.page(filter, start, evaluate);
    for (const item of page.items) {
      items.push(item);
      if (items.length === query.limit) {
        const more = page.lastKey !== undefined || item !== page.items.at(-1);
        return { items: items.map(toProduct), next_cursor: more ? encodeCursor(keyOf(item, filter), filter) : null };
      }
    }
    if (!page.lastKey) return { items: items.map(toProduct), next_cursor: null };
    start = page.lastKey;
  }
  // A very selective filter over a large table: hand back what we have and let the client go on.
  return { items: items.map(toProduct), next_cursor: start ? encodeCursor(start, filter) : null };
}

import type { Flags, Registry } from '@emporium/kit';
import { requestsMetric, type ProductCache } from './product-cache.ts';

/**
 * The cache as the `productsCacheDown` flag makes it: while on, every read goes to the store and counts as a
 * cache error, as when Redis is unreachable. Invalidations still reach the cache, so turning the flag off
 * never serves an entry older than a write made during the drill.
 */
export function withCacheDownFlag(
  cache: ProductCache,
  flags: Pick<Flags, 'boolean'>,
  registry: Registry,
): ProductCache {
  const requests = requestsMetric(registry);
  const down = (kind: string) => {
    if (!flags.boolean('productsCacheDown')) return false;
    requests.inc({ kind, result: 'error' });
    return true;
  };
  return {
    kind: cache.kind,
    product: (id, load) => (down('product') ? load() : cache.product(id, load)),
    listing: (key, load) => (down('listing') ? load() : cache.listing(key, load)),
    invalidate: (ids) => cache.invalidate(ids),
  };
}

import { Counter, sharedMetric, type Registry } from '@emporium/kit';
import type { Redis } from 'ioredis';

/**
 * Read-through cache for product reads and listings. Writes never edit cached values; they bump
 * version counters that are part of what a cached value must match, so a reader can never see a value
 * older than the last write that returned.
 */
export interface ProductCache {
  readonly kind: 'redis' | 'memory' | 'off';
  product<T>(id: number, load: () => Promise<T | undefined>): Promise<T | undefined>;
  listing<T>(key: string, load: () => Promise<T>): Promise<T>;
  invalidate(productIds: number[]): Promise<void>;
}

interface Entry<T> {
  epoch: string | null;
  ver: string | null;
  value: T;
}

/** A cache entry that does not parse (written by another version, or damaged) is a miss, not an error. */
function parseEntry<T>(raw: string): Entry<T> | undefined {
  try {
    const entry = JSON.parse(raw) as Entry<T> | null;
    return entry !== null && typeof entry === 'object' ? entry : undefined;
  } catch {
    return undefined;
  }
}

const NS = 'emporium:products:';
const K = {
  epoch: `${NS}epoch`,
  catalogVer: `${NS}catalog-ver`,
  productVer: (id: number) => `${NS}ver:${id}`,
  product: (id: number) => `${NS}p:${id}`,
  listing: (key: string) => `${NS}l:${key}`,
};

export function requestsMetric(registry: Registry) {
  return sharedMetric(
    registry,
    'emporium_products_cache_requests_total',
    () =>
      new Counter({
        name: 'emporium_products_cache_requests_total',
        help: 'Product cache look-ups by result (hit, miss, error = Redis unavailable, read from the store)',
        labelNames: ['kind', 'result'],
        registers: [registry],
      }),
  );
}

export function createRedisCache(redis: Redis, ttlSeconds: number, registry: Registry): ProductCache {
  const requests = requestsMetric(registry);
  // After a lost invalidation nothing cached can be trusted until a new epoch has been set.
  let mustBumpEpoch = true;
  redis.on('ready', () => (mustBumpEpoch = true));

  async function ensureEpoch(): Promise<void> {
    if (!mustBumpEpoch) return;
    await redis.incr(K.epoch);
    mustBumpEpoch = false;
  }

  async function readThrough<T>(kind: string, verKey: string, key: string, load: () => Promise<T>): Promise<T> {
    let epoch: string | null, ver: string | null, raw: string | null;
    try {
      await ensureEpoch();
      [epoch, ver, raw] = (await redis.mget(K.epoch, verKey, key)) as [string | null, string | null, string | null];
    } catch {
      requests.inc({ kind, result: 'error' });
      return load();
    }
    const entry = raw ? parseEntry<T>(raw) : undefined;
    if (raw && !entry) requests.inc({ kind, result: 'error' });
    if (entry) {
      if (entry.epoch === epoch && entry.ver === ver) {
        requests.inc({ kind, result: 'hit' });
        return entry.value;
      }
    }
    requests.inc({ kind, result: 'miss' });
    const value = await load();
    // Stamped with the versions read before loading: if a write slipped in, the stamp is already old.
    // Filling the cache is best effort: a failed write only means the next read loads again.
    if (value !== undefined)
      redis.set(key, JSON.stringify({ epoch, ver, value } satisfies Entry<T>), 'EX', ttlSeconds).catch(() => undefined);
    return value;
  }

  return {
    kind: 'redis',
    product: (id, load) => readThrough('product', K.productVer(id), K.product(id), load),
    listing: (key, load) => readThrough('listing', K.catalogVer, K.listing(key), load),
    async invalidate(ids) {
      try {
        const multi = redis.multi();
        for (const id of ids) multi.incr(K.productVer(id));
        multi.incr(K.catalogVer);
        const results = await multi.exec();
        if (!results || results.some(([err]) => err)) throw new Error('invalidation failed');
      } catch {
        mustBumpEpoch = true;
      }
    },
  };
}

/** Used when no Redis is configured: one process, so plain deletion is enough. */
export function createMemoryCache(ttlSeconds: number, registry: Registry, maxEntries = 5_000): ProductCache {
  const requests = requestsMetric(registry);
  const entries = new Map<string, { expires: number; value: unknown }>();
  async function readThrough<T>(kind: string, key: string, load: () => Promise<T>): Promise<T> {
    const hit = entries.get(key);
    if (hit && hit.expires > Date.now()) {
      requests.inc({ kind, result: 'hit' });
      return hit.value as T;
    }
    requests.inc({ kind, result: 'miss' });
    const value = await load();
    if (value !== undefined) {
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { expires: Date.now() + ttlSeconds * 1000, value });
    }
    return value;
  }
  return {
    kind: 'memory',
    product: (id, load) => readThrough('product', K.product(id), load),
    listing: (key, load) => readThrough('listing', K.listing(key), load),
    async invalidate(ids) {
      for (const id of ids) entries.delete(K.product(id));
      for (const key of [...entries.keys()]) if (key.startsWith(K.listing(''))) entries.delete(key);
    },
  };
}

/** PRODUCT_CACHE=off: every read goes to the store (for benchmarks and for ruling the cache out). */
export function createNoCache(): ProductCache {
  return {
    kind: 'off',
    product: (_id, load) => load(),
    listing: (_key, load) => load(),
    invalidate: async () => undefined,
  };
}

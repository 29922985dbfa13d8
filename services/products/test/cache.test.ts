import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { findRedisServer, startRedis, type RedisHandle } from '../../../platform/redis.ts';
import { startProducts, type Products } from './helpers.ts';

// A Redis of this file's own, persistent, so the test can stop and restart it with its data.
const skip = findRedisServer() ? false : 'redis-server is not installed';
let dir: string;
let server: RedisHandle;
let port: number;
let redis: Redis;
let p: Products;

before(async () => {
  if (skip) return;
  dir = await mkdtemp(path.join(tmpdir(), 'products-cache-'));
  server = await startRedis({ dataDir: dir, port: 29400, portAttempts: 50, persistent: true });
  port = Number(new URL(server.url).port);
  redis = new Redis(server.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 250,
    retryStrategy: () => 100,
  });
  redis.on('error', () => undefined);
  await new Promise((r) => redis.once('ready', r));
  p = await startProducts({ redis });
});
after(async () => {
  if (skip) return;
  await p.close();
  redis.disconnect();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

const gets = () => p.sent.filter((c) => c.name === 'GetItem').length;
const read = async (id: number) => (await p.app.inject(`/api/products/${id}`)).json();
const cacheMetric = async (result: string) =>
  Number(
    new RegExp(
      `emporium_products_cache_requests_total\\{kind="product",result="${result}",service="products"\\} (\\d+)`,
    ).exec((await p.app.inject('/metrics')).body)?.[1] ?? 0,
  );

test('a second read is served from Redis without touching DynamoDB', { skip }, async () => {
  const item = await p.create({ price: 5 });
  await read(item.id);
  const before = gets();
  const hitsBefore = await cacheMetric('hit');
  assert.equal((await read(item.id)).price, 5);
  assert.equal(gets(), before);
  assert.equal(await cacheMetric('hit'), hitsBefore + 1);
  assert.ok(await redis.exists(`emporium:products:p:${item.id}`));
});

test('reads after a write, a stock change or a reservation see the new values at once', { skip }, async () => {
  const item = await p.create({ price: 5, stock_quantity: 9 });
  await read(item.id);
  await p.app.inject('/api/products?category=Misc&limit=100');
  await p.app.inject({ method: 'PUT', url: `/api/products/${item.id}`, headers: p.admin, payload: { price: 6 } });
  assert.equal((await read(item.id)).price, 6);
  await p.app.inject({
    method: 'PATCH',
    url: `/api/products/${item.id}/stock`,
    headers: p.admin,
    payload: { delta: -2 },
  });
  assert.equal((await read(item.id)).stock_quantity, 7);
  const reservation = { order_id: 77, lines: [{ product_id: item.id, quantity: 3 }] };
  const asOrders = await p.asOrders();
  await p.app.inject({ method: 'POST', url: '/internal/reservations', headers: asOrders, payload: reservation });
  assert.equal((await read(item.id)).stock_quantity, 4);
  const listed = (await p.app.inject('/api/products?category=Misc&limit=100'))
    .json()
    .items.find((i: { id: number }) => i.id === item.id);
  assert.deepEqual([listed.price, listed.stock_quantity], [6, 4]);
});

test(
  'with Redis stopped, reads are still answered from the store; after it returns nothing stale is served',
  { skip },
  async () => {
    const item = await p.create({ price: 20 });
    assert.equal((await read(item.id)).price, 20);
    await read(item.id); // cached now, and Redis keeps it on disk
    const errorsBefore = await cacheMetric('error');

    await server.stop();
    const during = await p.app.inject(`/api/products/${item.id}`);
    assert.equal(during.statusCode, 200);
    assert.equal(during.json().price, 20);
    assert.ok((await cacheMetric('error')) > errorsBefore, 'the fallback is counted');
    assert.equal((await p.app.inject('/api/products?limit=5')).statusCode, 200);
    // A write while Redis is away cannot bump its version counters...
    const put = await p.app.inject({
      method: 'PUT',
      url: `/api/products/${item.id}`,
      headers: p.admin,
      payload: { price: 21 },
    });
    assert.equal(put.statusCode, 200);

    // ...so when Redis comes back with the old entry, a new epoch must make that entry worthless.
    server = await startRedis({ dataDir: dir, port, portAttempts: 1, persistent: true });
    for (let i = 0; i < 100 && redis.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(redis.status, 'ready');
    assert.ok(await redis.exists(`emporium:products:p:${item.id}`), 'the stale entry survived the restart');
    assert.equal((await read(item.id)).price, 21);
    assert.equal((await read(item.id)).price, 21);
  },
);

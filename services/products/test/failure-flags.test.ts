import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createFlagFile } from '@emporium/kit/testing';
import { startProducts, type Products } from './helpers.ts';

// The catalog's failure flags (docs/failure-flags.md), read from a real flag file.
let flags: Awaited<ReturnType<typeof createFlagFile>>;
let p: Products;
before(async () => {
  flags = await createFlagFile();
  p = await startProducts({ env: { FLAGS_FILE: flags.file, FLAGS_POLL_MS: '50' } });
});
after(async () => {
  await p.close();
  await flags.cleanup();
});

const setFlags = async (on: Parameters<typeof flags.set>[0]) => {
  await flags.set(on);
  await p.app.flags.refresh();
};
const gets = () => p.sent.filter((c) => c.name === 'GetItem').length;
const read = async (id: number) => (await p.app.inject(`/api/products/${id}`)).json();
const cacheErrors = async () => {
  const metrics = (await p.app.inject('/metrics')).body;
  const line = /emporium_products_cache_requests_total\{kind="product",result="error",service="products"\} (\d+)/;
  return Number(line.exec(metrics)?.[1] ?? 0);
};

test('productsCacheDown: reads go to the store while on; off, nothing older than a drill write is served', async () => {
  const item = await p.create({ price: 5 });
  await read(item.id);
  await setFlags({ productsCacheDown: true });
  const before = gets();
  const errors = await cacheErrors();
  await read(item.id);
  await read(item.id);
  assert.equal(gets(), before + 2, 'each read went to DynamoDB');
  assert.equal(await cacheErrors(), errors + 2);
  await p.app.inject({ method: 'PUT', url: `/api/products/${item.id}`, headers: p.admin, payload: { price: 7 } });

  await setFlags({});
  assert.equal((await read(item.id)).price, 7);
  const cached = gets();
  assert.equal((await read(item.id)).price, 7);
  assert.equal(gets(), cached, 'served from the cache again');
});

test('catalogLatencyMs slows the reservation calls, not the public reads', async () => {
  const item = await p.create({ stock_quantity: 5 });
  await setFlags({ catalogLatencyMs: 300 });
  assert.equal((await read(item.id)).id, item.id);
  // A lower bound only: the injected delay is certain, while an upper bound would depend on the machine.
  const started = Date.now();
  const payload = { order_id: 31, lines: [{ product_id: item.id, quantity: 1 }] };
  const headers = await p.asOrders();
  const res = await p.app.inject({ method: 'POST', url: '/internal/reservations', payload, headers });
  assert.equal(res.statusCode, 200, res.body);
  assert.ok(Date.now() - started >= 300, `reserve took ${Date.now() - started} ms`);
  await setFlags({});
  const released = await p.app.inject({
    method: 'POST',
    url: '/internal/reservations/31/release',
    headers: await p.asOrders(),
  });
  assert.equal(released.statusCode, 200);
});

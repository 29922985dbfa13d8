import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Product } from '../src/catalog/product.ts';
import { startProducts, type Products } from './helpers.ts';

let p: Products;
// The service's clock; tests move it forward to make reservations expire.
let clockOffsetMs = 0;
const alerts: Array<{ product: Product; threshold: number }> = [];
before(async () => {
  p = await startProducts({
    env: { LOW_STOCK_THRESHOLD: '3', RESERVATION_TTL_SECONDS: '10' },
    onLowStock: (product, threshold) => void alerts.push({ product, threshold }),
    now: () => new Date(Date.now() + clockOffsetMs),
  });
});
after(() => p.close());

const stockOf = async (id: number) => (await p.app.inject(`/api/products/${id}`)).json().stock_quantity as number;
const patch = (id: number, payload: unknown) =>
  p.app.inject({ method: 'PATCH', url: `/api/products/${id}/stock`, headers: p.admin, payload: payload as object });
// The internal API as the order service calls it, with its service credential.
const reserve = async (orderId: number, lines: Array<{ product_id: number; quantity: number }>) => {
  const payload = { order_id: orderId, lines };
  return p.app.inject({ method: 'POST', url: '/internal/reservations', headers: await p.asOrders(), payload });
};
const post = async (url: string) => p.app.inject({ method: 'POST', url, headers: await p.asOrders() });
const get = async (url: string) => p.app.inject({ url, headers: await p.asOrders() });

describe('stock changes', () => {
  test('100 concurrent delta -1 on stock 20: exactly 20 succeed, 80 get 409, final stock 0', async () => {
    const item = await p.create({ stock_quantity: 20 });
    const results = await Promise.all(Array.from({ length: 100 }, () => patch(item.id, { delta: -1 })));
    assert.equal(results.filter((r) => r.statusCode === 200).length, 20);
    assert.equal(results.filter((r) => r.statusCode === 409).length, 80);
    assert.equal(results.find((r) => r.statusCode === 409)!.json().code, 'insufficient_stock');
    assert.equal(await stockOf(item.id), 0);
  });

  test('concurrent increments are never lost; an absolute set replaces the value', async () => {
    const item = await p.create({ stock_quantity: 0 });
    await Promise.all(Array.from({ length: 50 }, () => patch(item.id, { delta: 2 })));
    assert.equal(await stockOf(item.id), 100);
    assert.equal((await patch(item.id, { stock_quantity: 7 })).json().stock_quantity, 7);
    assert.equal((await patch(item.id, { delta: -8 })).statusCode, 409);
    assert.equal(await stockOf(item.id), 7);
    assert.equal((await patch(999_999, { delta: 1 })).statusCode, 404);
  });

  test('falling to the threshold raises one low-stock alert', async () => {
    const item = await p.create({ stock_quantity: 5 });
    await patch(item.id, { delta: -1 });
    assert.equal(alerts.filter((a) => a.product.id === item.id).length, 0);
    await patch(item.id, { delta: -1 });
    await patch(item.id, { delta: -1 });
    const mine = alerts.filter((a) => a.product.id === item.id);
    assert.equal(mine.length, 1);
    assert.deepEqual([mine[0]!.product.stock_quantity, mine[0]!.threshold], [3, 3]);
    const metrics = (await p.app.inject('/metrics')).body;
    assert.match(metrics, /emporium_products_low_stock_alerts_total\{category="Misc",service="products"\} [1-9]/);
  });
});

describe('reservations', () => {
  test('a reservation retried 3 times, and 10 times at once, takes the stock once', async () => {
    const a = await p.create({ stock_quantity: 10, price: 4.25, name: 'Reserved thing' });
    for (let i = 0; i < 3; i++) {
      const res = await reserve(101, [{ product_id: a.id, quantity: 4 }]);
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().status, 'reserved');
      assert.deepEqual(res.json().lines, [
        { product_id: a.id, quantity: 4, product_name: 'Reserved thing', category: 'Misc', price: 4.25 },
      ]);
    }
    assert.equal(await stockOf(a.id), 6);
    const parallel = await Promise.all(
      Array.from({ length: 10 }, () => reserve(102, [{ product_id: a.id, quantity: 2 }])),
    );
    assert.ok(
      parallel.every((r) => r.statusCode === 200),
      parallel.map((r) => r.body).join('\n'),
    );
    assert.equal(await stockOf(a.id), 4);
  });

  test('a multi-line reservation with one short line reserves nothing', async () => {
    const a = await p.create({ stock_quantity: 5 });
    const b = await p.create({ stock_quantity: 1 });
    const c = await p.create({ stock_quantity: 5 });
    const res = await reserve(201, [
      { product_id: a.id, quantity: 2 },
      { product_id: b.id, quantity: 2 },
      { product_id: c.id, quantity: 2 },
    ]);
    assert.equal(res.statusCode, 409);
    assert.deepEqual([res.json().code, res.json().product_id, res.json().available], ['insufficient_stock', b.id, 1]);
    assert.deepEqual([await stockOf(a.id), await stockOf(b.id), await stockOf(c.id)], [5, 1, 5]);
    // The same order asked again gets the same answer and still takes nothing.
    assert.equal(
      (
        await reserve(201, [
          { product_id: a.id, quantity: 2 },
          { product_id: b.id, quantity: 2 },
          { product_id: c.id, quantity: 2 },
        ])
      ).statusCode,
      409,
    );
    assert.deepEqual([await stockOf(a.id), await stockOf(c.id)], [5, 5]);
  });

  test('an unknown product fails the whole reservation; reusing an order id for other lines is refused', async () => {
    const a = await p.create({ stock_quantity: 5 });
    const res = await reserve(301, [
      { product_id: a.id, quantity: 1 },
      { product_id: 987_654, quantity: 1 },
    ]);
    assert.equal(res.json().code, 'product_not_found');
    assert.equal(await stockOf(a.id), 5);
    await reserve(302, [{ product_id: a.id, quantity: 1 }]);
    assert.equal((await reserve(302, [{ product_id: a.id, quantity: 2 }])).json().code, 'reservation_mismatch');
  });

  test('commit then release gives the stock back exactly once; repeats change nothing', async () => {
    const a = await p.create({ stock_quantity: 10 });
    await reserve(401, [{ product_id: a.id, quantity: 3 }]);
    assert.equal((await post('/internal/reservations/401/commit')).json().status, 'committed');
    assert.equal((await post('/internal/reservations/401/commit')).json().status, 'committed');
    assert.equal(await stockOf(a.id), 7);
    const releases = await Promise.all(Array.from({ length: 5 }, () => post('/internal/reservations/401/release')));
    assert.ok(releases.every((r) => r.statusCode === 200 && r.json().status === 'released'));
    assert.equal(await stockOf(a.id), 10);
    assert.equal((await post('/internal/reservations/401/commit')).statusCode, 409);
    assert.equal((await reserve(401, [{ product_id: a.id, quantity: 3 }])).json().code, 'reservation_released');
    assert.equal(await stockOf(a.id), 10);
    assert.equal((await post('/internal/reservations/999/release')).statusCode, 404);
  });

  test('finalising a shipped order clears its holds and keeps the stock sold; it cannot be released after', async () => {
    const a = await p.create({ stock_quantity: 10 });
    await reserve(601, [{ product_id: a.id, quantity: 2 }]);
    assert.equal((await post('/internal/reservations/601/finalize')).statusCode, 409, 'not committed yet');
    await post('/internal/reservations/601/commit');
    for (let i = 0; i < 2; i++)
      assert.equal((await post('/internal/reservations/601/finalize')).json().status, 'finalized');
    const item = await p.app.productService.get(a.id);
    assert.equal(item.stock_quantity, 8);
    const table = p.sent.find((c) => String(c.input['TableName']).endsWith('products'))!.input['TableName'] as string;
    const raw = await p.db.get({ TableName: table, Key: { id: a.id }, ConsistentRead: true });
    assert.equal(raw.Item!['holds'], undefined, 'no order id left on the product');
    assert.equal((await post('/internal/reservations/601/release')).statusCode, 409);
    assert.equal(await stockOf(a.id), 8);
  });

  test('a reservation never committed is released by the sweeper after its time', async () => {
    const a = await p.create({ stock_quantity: 10 });
    await reserve(501, [{ product_id: a.id, quantity: 6 }]);
    await reserve(502, [{ product_id: a.id, quantity: 1 }]);
    await post('/internal/reservations/502/commit');
    assert.equal(await stockOf(a.id), 3);
    assert.equal(await p.app.reservationService.releaseExpired(), 0, 'nothing is due yet');
    clockOffsetMs = 11_000;
    try {
      assert.ok((await p.app.reservationService.releaseExpired()) >= 1);
    } finally {
      clockOffsetMs = 0;
    }
    assert.equal((await get('/internal/reservations/501')).json().status, 'released');
    assert.equal((await get('/internal/reservations/502')).json().status, 'committed');
    assert.equal(await stockOf(a.id), 9);
  });

  test('the gateway never routes the internal API', async () => {
    // The gateway's route table has only /api/* prefixes; its own test checks /internal/* is a 404.
    const spec = (await p.app.inject('/openapi.json')).json();
    assert.ok(!Object.keys(spec.paths).some((path: string) => path.startsWith('/internal')));
  });
});

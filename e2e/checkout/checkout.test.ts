import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseEvent, type OrderEvent } from '@emporium/events';
import { readTopic, testBrokers } from '@emporium/messaging/testing';
import { address, startShop, type Shop } from './shop.ts';

const skip = testBrokers().length ? false : 'no Kafka broker (run with npm test)';
let s: Shop;
before(async () => {
  if (!skip) s = await startShop();
});
after(async () => {
  if (!skip) await s.close();
});

/** Events about these orders on the orders topic, waiting until `count` arrived. */
async function eventsFor(orderIds: number[], count: number): Promise<OrderEvent[]> {
  const keys = new Set(orderIds.map(String));
  const got = await readTopic(s.brokers, 'orders', count, 20_000, (m) => keys.has(m.key));
  return got.map((m) => parseEvent(JSON.parse(m.value)));
}

describe('checkout through the gateway', { skip }, () => {
  test('an order: 201 processing, prices from the catalog, order_created and payment_succeeded with every SPEC field', async () => {
    const me = await s.login('buyer_one');
    const a = await s.product(5, 12.5);
    const b = await s.product(5, 3.25);
    const res = await s.call(
      'POST',
      '/api/orders',
      {
        items: [
          { product_id: a.id, quantity: 2, price: 0.01 },
          { product_id: b.id, quantity: 1 },
        ],
        shipping_address: address,
        total_amount: 1,
        status: 'delivered',
      },
      me.auth,
    );
    assert.equal(res.status, 201, JSON.stringify(res.json));
    const order = res.json;
    assert.deepEqual([order.status, order.total_amount, order.user_id], ['processing', 28.25, me.id]);
    assert.deepEqual(
      order.items.map((i: { price: number; product_name: string }) => [i.price, i.product_name]),
      [
        [12.5, a.name],
        [3.25, b.name],
      ],
    );
    assert.ok(order.payment_id);
    assert.deepEqual([await s.stockOf(a.id), await s.stockOf(b.id)], [3, 4]);
    const events = await eventsFor([order.id], 3);
    const types = events.map((e) => e.event_type);
    assert.ok(types.includes('order_created') && types.includes('payment_succeeded'), types.join());
    const created = events.find((e) => e.event_type === 'order_created')!;
    assert.deepEqual(
      [created.order_id, created.user_id, created.total_amount, created.region, created.items.length],
      [order.id, me.id, 28.25, 'GB', 2],
    );
  });

  test('a declined card: 402 with the order id, the order cancelled, stock back, order_cancelled on the topic', async () => {
    const me = await s.login('buyer_two');
    const a = await s.product(4);
    const res = await s.call(
      'POST',
      '/api/orders',
      {
        items: [{ product_id: a.id, quantity: 3 }],
        shipping_address: address,
        payment_method: 'pm_card_chargeDeclined',
      },
      me.auth,
    );
    assert.equal(res.status, 402);
    const orderId = res.json.order_id;
    assert.ok(orderId);
    const order = (await s.call('GET', `/api/orders/${orderId}`, undefined, me.auth)).json;
    assert.deepEqual([order.status, order.cancel_reason], ['cancelled', 'payment_declined']);
    assert.equal(await s.stockOf(a.id), 4);
    const events = await eventsFor([orderId], 3);
    assert.ok(events.some((e) => e.event_type === 'order_cancelled'));
  });

  test('not enough stock: 409 and no order', async () => {
    const me = await s.login('buyer_three');
    const a = await s.product(1);
    const res = await s.call(
      'POST',
      '/api/orders',
      { items: [{ product_id: a.id, quantity: 2 }], shipping_address: address },
      me.auth,
    );
    assert.equal(res.status, 409);
    assert.equal((await s.call('GET', `/api/orders/user/${me.id}`, undefined, me.auth)).json.items.length, 0);
    assert.equal(await s.stockOf(a.id), 1);
  });

  test('one Idempotency-Key 3 times in a row and 20 times at once: one order, one payment, one order_created', async () => {
    const me = await s.login('buyer_four');
    const a = await s.product(50);
    const body = { items: [{ product_id: a.id, quantity: 1 }], shipping_address: address };
    const seq = [];
    for (let i = 0; i < 3; i++)
      seq.push(await s.call('POST', '/api/orders', body, { ...me.auth, 'idempotency-key': 'checkout-seq-1' }));
    assert.deepEqual(
      seq.map((r) => r.status),
      [201, 201, 201],
    );
    assert.equal(new Set(seq.map((r) => r.json.id)).size, 1);
    const par = await Promise.all(
      Array.from({ length: 20 }, () =>
        s.call('POST', '/api/orders', body, { ...me.auth, 'idempotency-key': 'checkout-par-1' }),
      ),
    );
    assert.ok(
      par.every((r) => r.status === 201),
      par.map((r) => r.status).join(),
    );
    assert.equal(new Set(par.map((r) => r.json.id)).size, 1);
    assert.equal(await s.stockOf(a.id), 48, 'stock taken once per key');
    const ids = [seq[0]!.json.id, par[0]!.json.id];
    assert.equal(
      (await s.paymentsPool.query('SELECT count(*)::int AS n FROM payments WHERE order_id = ANY($1)', [ids])).rows[0].n,
      2,
    );
    assert.equal(
      (
        await s.ordersPool.query(
          "SELECT count(*)::int AS n FROM outbox WHERE event_type = 'order_created' AND message_key = ANY($1)",
          [ids.map(String)],
        )
      ).rows[0].n,
      2,
    );
    const reused = await s.call(
      'POST',
      '/api/orders',
      { ...body, items: [{ product_id: a.id, quantity: 2 }] },
      { ...me.auth, 'idempotency-key': 'checkout-seq-1' },
    );
    assert.equal(reused.status, 409);
  });

  test('200 concurrent orders for 10 units: exactly 10 succeed, 190 get 409, stock ends at 0', async () => {
    const a = await s.product(10);
    const buyers = await Promise.all(Array.from({ length: 5 }, (_, i) => s.login(`rush_${i}`)));
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        s.call(
          'POST',
          '/api/orders',
          { items: [{ product_id: a.id, quantity: 1 }], shipping_address: address },
          buyers[i % 5]!.auth,
        ),
      ),
    );
    const codes = results.map((r) => r.status);
    assert.equal(codes.filter((c) => c === 201).length, 10, codes.join());
    assert.equal(codes.filter((c) => c === 409).length, 190);
    assert.equal(await s.stockOf(a.id), 0);
  });

  test('cancelling a paid order refunds it and gives the stock back once', async () => {
    const me = await s.login('buyer_five');
    const a = await s.product(6, 20);
    const order = (
      await s.call(
        'POST',
        '/api/orders',
        { items: [{ product_id: a.id, quantity: 2 }], shipping_address: address },
        me.auth,
      )
    ).json;
    assert.equal(await s.stockOf(a.id), 4);
    const cancelled = await s.call('DELETE', `/api/orders/${order.id}`, undefined, me.auth);
    assert.deepEqual(
      [cancelled.status, cancelled.json.status, cancelled.json.cancel_reason],
      [200, 'cancelled', 'cancelled_by_customer'],
    );
    assert.equal((await s.call('DELETE', `/api/orders/${order.id}`, undefined, me.auth)).status, 409);
    // The refund and restock run in the request; on a machine too busy to answer in time, recovery finishes them.
    for (
      let i = 0;
      i < 100 &&
      (await s.ordersPool.query('SELECT step FROM orders WHERE id = $1', [order.id])).rows[0].step !== 'done';
      i++
    ) {
      await s.orders.recovery.recoverOnce();
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(await s.stockOf(a.id), 6, 'stock back exactly once');
    const payment = (await s.call('GET', `/api/payments/order/${order.id}`, undefined, me.auth)).json;
    assert.deepEqual([payment.status, payment.refunded_amount], ['refunded', 40]);
    const types = (await eventsFor([order.id], 5)).map((e) => e.event_type);
    assert.ok(types.includes('order_cancelled') && types.includes('payment_refunded'), types.join());
  });

  test("another user's order or payment is 404; history is paginated; admins move orders along the flow", async () => {
    const owner = await s.login('buyer_six');
    const other = await s.login('buyer_seven');
    const a = await s.product(10);
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (
          await s.call(
            'POST',
            '/api/orders',
            { items: [{ product_id: a.id, quantity: 1 }], shipping_address: address },
            owner.auth,
          )
        ).json.id,
      );
    assert.equal((await s.call('GET', `/api/orders/${ids[0]}`, undefined, other.auth)).status, 404);
    assert.equal((await s.call('DELETE', `/api/orders/${ids[0]}`, undefined, other.auth)).status, 404);
    assert.equal((await s.call('GET', `/api/orders/user/${owner.id}`, undefined, other.auth)).status, 404);
    assert.equal((await s.call('GET', `/api/payments/order/${ids[0]}`, undefined, other.auth)).status, 404);
    const page1 = (await s.call('GET', `/api/orders/user/${owner.id}?limit=2`, undefined, owner.auth)).json;
    const page2 = (
      await s.call('GET', `/api/orders/user/${owner.id}?limit=2&cursor=${page1.next_cursor}`, undefined, owner.auth)
    ).json;
    assert.deepEqual(
      [...page1.items, ...page2.items].map((o: { id: number }) => o.id),
      [...ids].reverse(),
    );
    assert.equal(page2.next_cursor, null);
    assert.equal(
      (await s.call('PATCH', `/api/orders/${ids[0]}/status`, { status: 'shipped' }, owner.auth)).status,
      403,
    );
    assert.equal((await s.call('PATCH', `/api/orders/${ids[0]}/status`, { status: 'delivered' }, s.admin)).status, 409);
    assert.equal(
      (await s.call('PATCH', `/api/orders/${ids[0]}/status`, { status: 'shipped' }, s.admin)).json.status,
      'shipped',
    );
    assert.equal(
      (await s.call('PATCH', `/api/orders/${ids[0]}/status`, { status: 'delivered' }, s.admin)).json.status,
      'delivered',
    );
    assert.equal(
      (await s.call('DELETE', `/api/orders/${ids[0]}`, undefined, owner.auth)).status,
      409,
      'a delivered order cannot be cancelled',
    );
  });
});

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { readTopic } from '@emporium/messaging/testing';
import type { Shop } from '../checkout/shop.ts';

/** A product of the scenario and the stock it was created with. */
export interface Stocked {
  id: number;
  initial: number;
}

const SOLD = ['processing', 'shipped', 'delivered'];

const rows = async (pool: Shop['ordersPool'], sql: string, params: unknown[] = []) =>
  (await pool.query(sql, params)).rows;

/** Runs recovery passes until no order of the shop is mid-saga, at most `ms`. */
export async function settle(s: Shop, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const [{ n }] = await rows(s.ordersPool, "SELECT count(*)::int AS n FROM orders WHERE step <> 'done'");
    if (n === 0) return;
    if (Date.now() >= deadline) {
      const stuck = await rows(
        s.ordersPool,
        "SELECT step, compensating, attempts, last_error, count(*)::int AS n FROM orders WHERE step <> 'done' GROUP BY 1, 2, 3, 4",
      );
      assert.fail(`${n} orders still mid-saga after ${ms} ms: ${JSON.stringify(stuck)}`);
    }
    await s.orders.recovery.recoverOnce();
    await sleep(50);
  }
}

/**
 * The books after a fault, once every saga has finished:
 * - stock: for each product, initial = on hand + units sold by orders that are processing, shipped or delivered;
 * - money: a sold order's payment succeeded for its total and the provider keeps exactly that; a cancelled order's
 *   payment is absent, failed or fully refunded and the provider keeps nothing; no payment without an order;
 * - events: every event the outboxes committed about these orders is on Kafka, each event_id exactly once.
 * Returns the orders it looked at, for the scenario's own assertions.
 */
export async function checkBooks(
  s: Shop,
  products: Stocked[],
  options: {
    events?: boolean;
    /**
     * When the database itself went away, a batch the relay published but could not mark is published again: the
     * design is at least once, consumers skip an event_id they have seen. Then copies are counted, not refused.
     */
    republishAllowed?: boolean;
    /** How long recovery may take to finish every saga (a breaker reopened by each failed probe waits 10 s). */
    settleMs?: number;
  } = {},
) {
  await settle(s, options.settleMs);
  const ids = products.map((p) => p.id);
  const orders = await rows(
    s.ordersPool,
    `SELECT o.id, o.status, o.cancel_reason, o.total_amount::float AS total,
            coalesce(json_agg(json_build_object('product_id', i.product_id, 'quantity', i.quantity)), '[]') AS items
       FROM orders o JOIN order_items i ON i.order_id = o.id
      WHERE o.id IN (SELECT order_id FROM order_items WHERE product_id = ANY($1))
      GROUP BY o.id`,
    [ids],
  );

  for (const p of products) {
    let sold = 0;
    for (const o of orders)
      if (SOLD.includes(o.status))
        for (const i of o.items as { product_id: number; quantity: number }[])
          if (i.product_id === p.id) sold += i.quantity;
    const onHand = await s.stockOf(p.id);
    assert.equal(onHand + sold, p.initial, `product ${p.id}: ${onHand} on hand + ${sold} sold ≠ ${p.initial}`);
  }

  const orderIds = orders.map((o) => o.id as number);
  const payments = new Map(
    (
      await rows(
        s.paymentsPool,
        `SELECT p.order_id, p.status, p.amount::float AS amount, (p.amount - p.refunded_amount)::float AS kept,
                coalesce((SELECT sum(c.amount_cents) FROM simulated_charges c
                           WHERE c.idempotency_key = 'emporium-order-' || p.order_id AND c.status = 'succeeded'), 0)::int
                - coalesce((SELECT sum(r.amount_cents) FROM simulated_refunds r
                             WHERE r.charge_key = 'emporium-order-' || p.order_id), 0)::int AS provider_cents
           FROM payments p WHERE p.order_id = ANY($1)`,
        [orderIds],
      )
    ).map((p) => [p.order_id as number, p]),
  );
  for (const o of orders) {
    const p = payments.get(o.id);
    const what = `order ${o.id} (${o.status}): payment ${JSON.stringify(p)}`;
    if (SOLD.includes(o.status)) {
      assert.deepEqual([p?.status, p?.amount, p?.kept], ['succeeded', o.total, o.total], what);
      assert.equal(p?.provider_cents, Math.round(o.total * 100), `${what}: the provider keeps the total, once`);
    } else {
      assert.equal(o.status, 'cancelled', what);
      assert.ok(!p || p.status === 'failed' || (p.status === 'refunded' && p.kept === 0), what);
      assert.equal(p?.provider_cents ?? 0, 0, `${what}: the provider keeps nothing`);
    }
  }
  // A payment whose order was never placed (deleted after a refused reservation) must keep nothing either.
  const orphans = await rows(
    s.paymentsPool,
    "SELECT order_id, status FROM payments WHERE NOT (order_id = ANY($1)) AND status IN ('succeeded', 'partially_refunded')",
    [await allOrderIds(s)],
  );
  assert.deepEqual(orphans, [], 'money kept for an order that does not exist');

  const republished = options.events === false ? 0 : await checkEvents(s, orderIds, options.republishAllowed);
  return Object.assign(orders as { id: number; status: string; cancel_reason: string | null; total: number }[], {
    republished,
  });
}

const allOrderIds = async (s: Shop) => (await rows(s.ordersPool, 'SELECT id FROM orders')).map((r) => r.id as number);

/**
 * Every event both outboxes committed about these orders reaches the orders topic, each event_id once (or, with
 * `republishAllowed`, at least once). Returns how many copies arrived beyond the first.
 */
export async function checkEvents(s: Shop, orderIds: number[], republishAllowed = false, ms = 60_000): Promise<number> {
  const keys = orderIds.map(String);
  const deadline = Date.now() + ms;
  const committed: string[] = [];
  for (const pool of [s.ordersPool, s.paymentsPool]) {
    for (;;) {
      const [{ n }] = await rows(
        pool,
        'SELECT count(*)::int AS n FROM outbox WHERE message_key = ANY($1) AND published_at IS NULL',
        [keys],
      );
      if (n === 0) break;
      assert.ok(Date.now() < deadline, `${n} events still unpublished`);
      await sleep(200);
    }
    const ids = await rows(pool, "SELECT event_id FROM outbox WHERE message_key = ANY($1) AND topic = 'orders'", [
      keys,
    ]);
    committed.push(...ids.map((r) => r.event_id as string));
  }
  const wanted = new Set(keys);
  // More than committed: the read ends on its timeout, so a copy arriving late is seen too.
  const got = await readTopic(s.brokers, 'orders', committed.length * 2, 10_000, (m) => wanted.has(m.key));
  const seen = got.map((m) => JSON.parse(m.value).event_id as string);
  const twice = seen.filter((id, i) => seen.indexOf(id) !== i);
  if (!republishAllowed) assert.deepEqual(twice, [], 'an event_id arrived twice');
  assert.deepEqual(new Set(seen), new Set(committed), 'the events on Kafka are those committed');
  return twice.length;
}

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFlagFile } from '@emporium/kit/testing';
import { readTopic, testBrokers } from '@emporium/messaging/testing';
import { address, startShop, type Shop } from './shop.ts';

// Failure flags on the real checkout path (docs/failure-flags.md): the file is the operator's switch.
const skip = testBrokers().length ? false : 'no Kafka broker (run with npm test)';
// Fast retries, and enough of them that nothing is given up while a flag is on.
const SAGA_ENV = { SAGA_RETRY_BASE_MS: '20', SAGA_RETRY_MAX_MS: '100', SAGA_MAX_ATTEMPTS: '100' };

let s: Shop;
let flags: Awaited<ReturnType<typeof createFlagFile>>;
before(async () => {
  if (skip) return;
  flags = await createFlagFile();
  s = await startShop({ ordersEnv: SAGA_ENV, flagsFile: flags.file });
});
after(async () => {
  if (skip) return;
  await s.close();
  await flags.cleanup();
});

/** Writes the file, then has every service read it now rather than at its next poll. */
async function setFlags(on: Parameters<typeof flags.set>[0]): Promise<void> {
  await flags.set(on);
  await Promise.all([s.orders.flags, s.payments.flags, s.products.flags].map((f) => f.refresh()));
}

const place = (auth: Record<string, string>, productId: number, quantity = 1) =>
  s.call('POST', '/api/orders', { items: [{ product_id: productId, quantity }], shipping_address: address }, auth);
const rows = async (pool: Shop['ordersPool'], sql: string, params: unknown[] = []) =>
  (await pool.query(sql, params)).rows;
const statusOf = async (id: number, auth: Record<string, string>) =>
  (await s.call('GET', `/api/orders/${id}`, undefined, auth)).json.status as string;

describe('failure flags on the checkout path', { skip }, () => {
  test(
    'paymentFailure 1 (an outage): checkouts wait pending; off again, recovery settles them and new ones succeed',
    { timeout: 60_000 },
    async () => {
      const product = await s.product(10, 12.5);
      const me = await s.login('flag_outage');
      await setFlags({ paymentFailure: 1 });
      const placed = await Promise.all([place(me.auth, product.id), place(me.auth, product.id)]);
      assert.deepEqual(
        placed.map((r) => r.status),
        [202, 202],
        JSON.stringify(placed.map((r) => r.json)),
      );
      const ids = placed.map((r) => r.json.id as number);
      // Recovery retries while the flag is on: still pending, nothing charged, the stock still held.
      for (let i = 0; i < 5; i++) await s.orders.recovery.recoverOnce();
      for (const id of ids) assert.equal(await statusOf(id, me.auth), 'pending');
      assert.equal(await s.stockOf(product.id), 8);
      assert.equal((await rows(s.paymentsPool, 'SELECT count(*)::int AS n FROM simulated_charges')).at(0)!.n, 0);

      await setFlags({});
      const deadline = Date.now() + 30_000; // the payments breaker opened during the outage: 10 s to half-open
      const statuses = async () => Promise.all(ids.map((id) => statusOf(id, me.auth)));
      while ((await statuses()).some((st) => st !== 'processing')) {
        assert.ok(Date.now() < deadline, `not settled: ${await statuses()}`);
        await s.orders.recovery.recoverOnce();
        await sleep(30);
      }
      const keys = ids.map((id) => `emporium-order-${id}`);
      const charged = 'SELECT count(*)::int AS n FROM simulated_charges WHERE idempotency_key = ANY($1)';
      const charges = await rows(s.paymentsPool, charged, [keys]);
      assert.equal(charges[0].n, 2, 'each order charged once');
      assert.equal((await place(me.auth, product.id)).status, 201);
      assert.equal(await s.stockOf(product.id), 7);
    },
  );

  test(
    'paymentFailure 1 as declines: checkouts end 402, cancelled and their stock back; off again they succeed',
    { timeout: 30_000 },
    async () => {
      const product = await s.product(5);
      const me = await s.login('flag_decline');
      await setFlags({ paymentFailure: 1, paymentFailureMode: 'declined' });
      const declined = await place(me.auth, product.id, 2);
      assert.equal(declined.status, 402, JSON.stringify(declined.json));
      const order = (await s.call('GET', `/api/orders/${declined.json.order_id}`, undefined, me.auth)).json;
      assert.deepEqual([order.status, order.cancel_reason], ['cancelled', 'payment_declined']);
      assert.equal(await s.stockOf(product.id), 5);

      await setFlags({ paymentFailureMode: 'declined' });
      const ok = await place(me.auth, product.id, 2);
      assert.equal(ok.status, 201, JSON.stringify(ok.json));
      assert.equal(ok.json.status, 'processing');
    },
  );

  test(
    'kafkaPublishFailure: events wait in the outbox while it is on, and are published once it is off',
    { timeout: 90_000 },
    async () => {
      const product = await s.product(50);
      const me = await s.login('flag_kafka');
      const failures = async () =>
        (await s.relayMetrics.getSingleMetric('emporium_outbox_publish_failures_total')!.get()).values[0]?.value ?? 0;
      const before = await failures();
      await setFlags({ kafkaPublishFailure: true });
      const placed = await Promise.all(Array.from({ length: 5 }, () => place(me.auth, product.id)));
      assert.ok(
        placed.every((r) => r.status === 201),
        placed.map((r) => r.status).join(),
      );
      const ids = placed.map((r) => String(r.json.id));
      const waiting = async () =>
        (
          await rows(
            s.ordersPool,
            'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL AND message_key = ANY($1)',
            [ids],
          )
        )[0].n as number;
      await sleep(1_000);
      assert.ok((await waiting()) >= 10, `order_created and order_status_changed of 5 orders: ${await waiting()} wait`);
      assert.ok((await failures()) > before, 'the relay tried and failed');

      await setFlags({});
      const created = (m: { key: string; value: string }) =>
        ids.includes(m.key) && JSON.parse(m.value).event_type === 'order_created';
      const got = await readTopic(s.brokers, 'orders', 5, 30_000, created);
      assert.deepEqual(new Set(got.map((m) => m.key)), new Set(ids));
      const deadline = Date.now() + 10_000;
      while ((await waiting()) > 0) {
        assert.ok(Date.now() < deadline, `still waiting: ${await waiting()}`);
        await sleep(100);
      }
    },
  );
});

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServiceCredential } from '@emporium/kit';
import { testBrokers } from '@emporium/messaging/testing';
import { waitUntilReady } from '../../platform/processes.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { address, startShop, type Shop } from './shop.ts';

const skip = testBrokers().length ? false : 'no Kafka broker (run with npm test)';
// Fast retries so the give-up rule is reached in seconds: 4 attempts, 20 ms doubling to at most 100 ms.
const SAGA_ENV = { SAGA_RETRY_BASE_MS: '20', SAGA_RETRY_MAX_MS: '100', SAGA_MAX_ATTEMPTS: '4' };

let s: Shop;
let proxy: FaultProxy;
before(async () => {
  if (skip) return;
  proxy = await startFaultProxy();
  s = await startShop({ ordersEnv: SAGA_ENV, paymentsFront: (url) => ((proxy.target = url), proxy.url) });
});
after(async () => {
  if (skip) return;
  await s.close();
  await proxy.close();
});

const place = (auth: Record<string, string>, productId: number, extra: Record<string, string> = {}, method?: string) =>
  s.call(
    'POST',
    '/api/orders',
    {
      items: [{ product_id: productId, quantity: 1 }],
      shipping_address: address,
      ...(method ? { payment_method: method } : {}),
    },
    { ...auth, ...extra },
  );
const one = async (sql: string, params: unknown[] = [], pool = s.ordersPool) => (await pool.query(sql, params)).rows;

/** Runs recovery passes until `done` holds, at most `ms`. */
async function recoverUntil(done: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    assert.ok(Date.now() < deadline, 'recovery did not finish in time');
    await s.orders.recovery.recoverOnce();
    await sleep(30);
  }
}

describe('checkout saga', { skip }, () => {
  test(
    '200 concurrent checkouts from 20 users, each key sent twice: no 5xx, one order and one charge per key',
    { timeout: 120_000 },
    async () => {
      proxy.decide = () => ({ kind: 'pass' });
      const product = await s.product(1_000);
      const users = await Promise.all(Array.from({ length: 20 }, (_, i) => s.login(`crowd_${i}`)));
      const calls = Array.from({ length: 200 }, (_, i) => {
        const key = `crowd-${Math.floor(i / 2)}`; // requests 2k and 2k+1 carry the same key, from the same user
        return { key, res: place(users[Math.floor(i / 2) % 20]!.auth, product.id, { 'idempotency-key': key }) };
      });
      const answers = await Promise.all(calls.map(async (c) => ({ key: c.key, ...(await c.res) })));
      const codes = answers.map((a) => a.status);
      assert.deepEqual([...new Set(codes)], [201], codes.join());
      const idsByKey = new Map<string, Set<number>>();
      for (const a of answers) idsByKey.set(a.key, (idsByKey.get(a.key) ?? new Set()).add(a.json.id));
      assert.equal(idsByKey.size, 100);
      assert.ok(
        [...idsByKey.values()].every((ids) => ids.size === 1),
        'both requests of a key answer with the same order',
      );
      const rows = await one(
        "SELECT idempotency_key, count(*)::int AS n FROM orders WHERE idempotency_key LIKE 'crowd-%' GROUP BY idempotency_key",
      );
      assert.equal(rows.length, 100);
      assert.ok(rows.every((r) => r.n === 1));
      const orderIds = [...idsByKey.values()].map((ids) => [...ids][0]!);
      const charges = await one(
        'SELECT order_id, count(*)::int AS n FROM payments WHERE order_id = ANY($1) GROUP BY order_id',
        [orderIds],
        s.paymentsPool,
      );
      assert.equal(charges.length, 100);
      assert.ok(
        charges.every((r) => r.n === 1),
        'one payment per key',
      );
      assert.equal(await s.stockOf(product.id), 900, 'stock taken once per key');
    },
  );

  test(
    'a payment step that keeps failing is given up by the rule, refunded and restocked, while 50 other orders settle',
    { timeout: 120_000 },
    async () => {
      const product = await s.product(100, 15);
      const unlucky = await s.login('unlucky_buyer');
      const shaky = await s.login('shaky_buyer');
      const others = await Promise.all(Array.from({ length: 10 }, (_, i) => s.login(`steady_${i}`)));
      let shakyRefusals = 0;
      // The unlucky customer's charge goes through at the payment service, but the answer never comes back;
      // the shaky customer's first charges (more than one call's retries) find the payment service down, then it answers.
      proxy.decide = (p, body) => {
        if (p !== '/internal/payments/process') return { kind: 'pass' };
        if (body?.order?.user_id === unlucky.id) return { kind: 'lose_answer' };
        if (body?.order?.user_id === shaky.id && shakyRefusals++ < 4) return { kind: 'refuse' };
        return { kind: 'pass' };
      };
      const stuck = await place(unlucky.auth, product.id);
      assert.equal(stuck.status, 202, JSON.stringify(stuck.json));
      assert.equal(stuck.json.status, 'pending');
      const retried = await place(shaky.auth, product.id);
      assert.equal(retried.status, 202);
      const steady = await Promise.all(Array.from({ length: 50 }, (_, i) => place(others[i % 10]!.auth, product.id)));
      assert.ok(
        steady.every((r) => r.status === 201 && r.json.status === 'processing'),
        steady.map((r) => r.status).join(),
      );

      const statusOf = async (id: number) =>
        (await one('SELECT status, cancel_reason, step FROM orders WHERE id = $1', [id]))[0];
      await recoverUntil(
        async () =>
          (await statusOf(stuck.json.id)).step === 'done' && (await statusOf(retried.json.id)).step === 'done',
      );

      assert.deepEqual(await statusOf(stuck.json.id), {
        status: 'cancelled',
        cancel_reason: 'payment_unresolved',
        step: 'done',
      });
      assert.deepEqual(await statusOf(retried.json.id), { status: 'processing', cancel_reason: null, step: 'done' });
      const [payment] = await one(
        'SELECT status, refunded_amount::float AS refunded FROM payments WHERE order_id = $1',
        [stuck.json.id],
        s.paymentsPool,
      );
      assert.deepEqual(payment, { status: 'refunded', refunded: 15 }, 'charged once, refunded in full');
      assert.equal(await s.stockOf(product.id), 100 - 50 - 1, "the given-up order's unit is back; the others are sold");
      const giveUps = (await s.orders.metrics.getSingleMetric('emporium_orders_saga_give_ups_total')!.get()).values;
      assert.deepEqual(
        giveUps.map((v) => [v.labels['step'], v.value]),
        [['take_payment', 1]],
      );
      const customerView = await s.call('GET', `/api/orders/${stuck.json.id}`, undefined, unlucky.auth);
      assert.deepEqual(
        [customerView.json.status, customerView.json.cancel_reason],
        ['cancelled', 'payment_unresolved'],
      );
    },
  );

  test(
    'cancelling an order whose payment outcome is unknown voids it: refunded if it was charged, never charged after',
    { timeout: 60_000 },
    async () => {
      const product = await s.product(10, 7);
      const me = await s.login('impatient_buyer');
      proxy.decide = (p) => (p === '/internal/payments/process' ? { kind: 'lose_answer' } : { kind: 'pass' });
      const order = await place(me.auth, product.id);
      assert.equal(order.status, 202);
      const cancelled = await s.call('DELETE', `/api/orders/${order.json.id}`, undefined, me.auth);
      assert.deepEqual([cancelled.status, cancelled.json.status], [200, 'cancelled']);
      proxy.decide = () => ({ kind: 'pass' });
      await recoverUntil(
        async () => (await one('SELECT step FROM orders WHERE id = $1', [order.json.id]))[0].step === 'done',
      );
      const [payment] = await one(
        'SELECT status, refunded_amount::float AS refunded FROM payments WHERE order_id = $1',
        [order.json.id],
        s.paymentsPool,
      );
      assert.deepEqual(payment, { status: 'refunded', refunded: 7 });
      assert.equal(await s.stockOf(product.id), 10);
      // A late retry of the old charge is refused: the order's payment is settled for good.
      const asOrders = createServiceCredential({
        service: 'orders',
        privateKeyPem: s.serviceKeys.privateKeys['orders']!,
      });
      const late = await fetch(`${s.urls.payments}/internal/payments/process`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await asOrders.tokenFor('payments')}` },
        body: JSON.stringify({
          order_id: order.json.id,
          amount: 7,
          payment_method: 'pm_card_visa',
          order: {
            user_id: me.id,
            total_amount: 7,
            region: 'GB',
            items: [
              { product_id: product.id, product_name: product.name, category: 'Shop Test', quantity: 1, price: 7 },
            ],
          },
        }),
      });
      assert.equal(((await late.json()) as { status: string }).status, 'refunded');
    },
  );

  test(
    'the recovery process killed with SIGKILL mid-step, then restarted: every order ends processing or cancelled, no double charge, stock conserved',
    { timeout: 180_000 },
    async () => {
      const products = await Promise.all([s.product(40, 5), s.product(40, 9)]);
      const buyers = await Promise.all(Array.from({ length: 4 }, (_, i) => s.login(`crash_${i}`)));
      // The payment service is down while 24 orders come in: they are accepted as pending, payment owed.
      proxy.decide = (p) => (p === '/internal/payments/process' ? { kind: 'refuse' } : { kind: 'pass' });
      const placed = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          place(buyers[i % 4]!.auth, products[i % 2]!.id, {}, i % 6 === 5 ? 'pm_card_chargeDeclined' : undefined),
        ),
      );
      assert.ok(
        placed.every((r) => r.status === 202),
        placed.map((r) => r.status).join(),
      );
      const ids = placed.map((r) => r.json.id as number);
      // It comes back slowly, so the recovery process is killed with charges in flight.
      proxy.decide = () => ({ kind: 'pass', delayMs: 150 });

      const port = 29391;
      const env = {
        PATH: process.env['PATH'] ?? '',
        PORT: String(port),
        DATABASE_URL: s.ordersDbUrl,
        PRODUCTS_URL: s.urls.products,
        PAYMENTS_URL: proxy.url,
        KAFKA_BROKERS: s.brokers.join(','),
        JWKS_URL: s.jwks,
        LOG_LEVEL: 'warn',
        SERVICE_PRIVATE_KEY: s.serviceKeys.privateKeys['orders']!,
        RECOVERY_INTERVAL_MS: '50',
        ...SAGA_ENV,
        SAGA_MAX_ATTEMPTS: '20',
        // A short lease, so the restarted process takes over what the killed one held within seconds.
        SAGA_LEASE_SECONDS: '2',
      };
      const start = async (): Promise<ChildProcess> => {
        const child = spawn(process.execPath, [path.join(import.meta.dirname, '../../services/orders/src/server.ts')], {
          env,
          stdio: 'ignore',
        });
        await waitUntilReady(`http://127.0.0.1:${port}/ready`, 120_000, new Promise((r) => child.once('exit', r)));
        return child;
      };
      const charges = async () =>
        (
          await one(
            "SELECT count(*)::int AS n FROM payments WHERE order_id = ANY($1) AND status <> 'pending'",
            [ids],
            s.paymentsPool,
          )
        )[0].n as number;
      const first = await start();
      for (let i = 0; i < 200 && (await charges()) < 3; i++) await sleep(20);
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      const midway = await one("SELECT count(*)::int AS n FROM orders WHERE id = ANY($1) AND step <> 'done'", [ids]);
      assert.ok(midway[0].n > 0, 'the kill left orders unfinished');

      const second = await start();
      try {
        const deadline = Date.now() + 60_000;
        while (
          (await one("SELECT count(*)::int AS n FROM orders WHERE id = ANY($1) AND step <> 'done'", [ids]))[0].n > 0
        ) {
          assert.ok(Date.now() < deadline, 'recovery after the restart did not finish');
          await sleep(100);
        }
      } finally {
        second.kill('SIGTERM');
        await new Promise((r) => second.once('exit', r));
      }

      const orders = await one(
        'SELECT o.id, o.status, o.total_amount::float AS total, i.product_id, i.quantity FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.id = ANY($1)',
        [ids],
      );
      assert.ok(
        orders.every((o) => o.status === 'processing' || o.status === 'cancelled'),
        orders.map((o) => o.status).join(),
      );
      const declined = orders.filter((o) => o.status === 'cancelled').length;
      assert.equal(declined, 4, 'the four declined cards, and only they, are cancelled');
      // The books: a processing order holds exactly its total; a cancelled one holds nothing (declined or refunded).
      const money = new Map(
        (
          await one(
            'SELECT order_id, status, (amount - refunded_amount)::float AS kept FROM payments WHERE order_id = ANY($1)',
            [ids],
            s.paymentsPool,
          )
        ).map((p) => [p.order_id, p]),
      );
      for (const o of orders) {
        const p = money.get(o.id);
        if (o.status === 'processing') assert.deepEqual([p?.status, p?.kept], ['succeeded', o.total], `order ${o.id}`);
        else
          assert.ok(
            p?.status === 'failed' || (p?.status === 'refunded' && p.kept === 0),
            `order ${o.id}: ${JSON.stringify(p)}`,
          );
      }
      for (const product of products) {
        const sold = orders
          .filter((o) => o.product_id === product.id && o.status === 'processing')
          .reduce((n, o) => n + o.quantity, 0);
        assert.equal((await s.stockOf(product.id)) + sold, 40, `stock conserved for product ${product.id}`);
      }
    },
  );
});

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testBrokers } from '@emporium/messaging/testing';
import { waitUntilReady } from '../../platform/processes.ts';
import { address, startShop, type Shop } from '../checkout/shop.ts';
import { checkBooks } from './books.ts';
import { runBounded } from './load.ts';

// Fault 10 of docs/reliability.md: the order service, a child process here, killed with SIGKILL while it takes orders.
const skip = testBrokers().length ? false : 'no Kafka broker (run with npm test)';
const PORT = 29395;
let s: Shop;
before(async () => {
  if (!skip) s = await startShop();
});
after(async () => {
  if (!skip) await s.close();
});

test(
  'the order process killed with SIGKILL under load, then restarted: no order answered 201 is lost, the books balance',
  { skip, timeout: 300_000 },
  async () => {
    const items = await Promise.all([s.product(2_000, 6), s.product(2_000, 11)]);
    const buyers = await Promise.all(Array.from({ length: 8 }, (_, i) => s.login(`killed_${i}`)));
    const env = {
      PATH: process.env['PATH'] ?? '',
      PORT: String(PORT),
      DATABASE_URL: s.ordersDbUrl,
      PRODUCTS_URL: s.urls.products,
      PAYMENTS_URL: s.urls.payments,
      KAFKA_BROKERS: s.brokers.join(','),
      JWKS_URL: s.jwks,
      LOG_LEVEL: 'warn',
      SERVICE_PRIVATE_KEY: s.serviceKeys.privateKeys['orders']!,
      RECOVERY_INTERVAL_MS: '200',
      // A short lease, so the restarted process takes over what the killed one held within seconds.
      SAGA_LEASE_SECONDS: '2',
      SAGA_RETRY_BASE_MS: '100',
    };
    const start = async (): Promise<ChildProcess> => {
      const child = spawn(process.execPath, [path.join(import.meta.dirname, '../../services/orders/src/server.ts')], {
        env,
        stdio: 'ignore',
      });
      await waitUntilReady(`http://127.0.0.1:${PORT}/ready`, 120_000, new Promise((r) => child.once('exit', r)));
      return child;
    };
    const answers: { status: number; id?: number }[] = [];
    let running = true;
    const load = runBounded(8, 8, async (w) => {
      for (let i = 0; running; i++) {
        try {
          const res = await fetch(`http://127.0.0.1:${PORT}/api/orders`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...buyers[w]!.auth },
            body: JSON.stringify({
              items: [{ product_id: items[(w + i) % 2]!.id, quantity: 1 }],
              shipping_address: address,
              ...(i % 9 === 4 ? { payment_method: 'pm_card_chargeDeclined' } : {}),
            }),
          });
          const body = (await res.json()) as { id?: number; order_id?: number };
          answers.push({ status: res.status, id: body.id ?? body.order_id });
        } catch {
          answers.push({ status: 0 }); // the connection died with the process, or nothing listens yet
          await sleep(50);
        }
      }
    });
    // Conditions, not fixed waits: on a busy machine three seconds may place a handful of orders or none.
    const placedSince = async (from: number, n: number) => {
      const deadline = Date.now() + 90_000;
      while (answers.slice(from).filter((a) => a.status === 201).length < n) {
        assert.ok(Date.now() < deadline, `fewer than ${n} orders placed in 90 s`);
        await sleep(50);
      }
    };
    let child = await start();
    try {
      await placedSince(0, 20);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const unfinished = await s.ordersPool.query("SELECT count(*)::int AS n FROM orders WHERE step <> 'done'");
      child = await start();
      await placedSince(answers.length, 20);
      running = false;
      await load;
      assert.ok(unfinished.rows[0].n > 0, 'the kill left checkouts mid-saga');
      // The restarted process's own recovery finishes them (the shop's in-process order app runs none by itself).
      const deadline = Date.now() + 60_000;
      while ((await s.ordersPool.query("SELECT count(*)::int AS n FROM orders WHERE step <> 'done'")).rows[0].n > 0) {
        assert.ok(Date.now() < deadline, 'recovery after the restart did not finish');
        await sleep(200);
      }
    } finally {
      running = false;
      await load;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    const by = (code: number) => answers.filter((a) => a.status === code);
    const unexpected = answers.filter((a) => ![0, 201, 202, 402].includes(a.status));
    assert.deepEqual(unexpected, [], 'only successes, declines, and connections cut by the kill');
    assert.ok(by(0).length > 0, `${by(201).length} placed, ${by(0).length} cut`);
    const orders = await checkBooks(
      s,
      items.map((p) => ({ id: p.id, initial: 2_000 })),
    );
    const status = new Map(orders.map((o) => [o.id, o.status]));
    for (const a of by(201)) assert.equal(status.get(a.id!), 'processing', `order ${a.id} answered 201`);
    for (const a of by(402)) assert.equal(status.get(a.id!), 'cancelled', `order ${a.id} answered 402`);
  },
);

import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testBrokers } from '@emporium/messaging/testing';
import { startPostgres, type PostgresHandle } from '../../platform/postgres.ts';
import { address, startShop, type Shop } from '../checkout/shop.ts';
import { checkBooks } from './books.ts';
import { runBounded } from './load.ts';

// Fault 9 of docs/reliability.md. A PostgreSQL of this file's own (users, orders and payments databases all on it),
// stopped and started again under a running shop.
const DOWN_MS = 5_000;
const skip = testBrokers().length ? false : 'no Kafka broker (run with npm test)';
let dir: string;
let pg: PostgresHandle;
let s: Shop;
const startPg = (port: number, attempts: number) =>
  startPostgres({ dataDir: path.join(dir, 'postgres'), port, portAttempts: attempts, fast: true });

before(async () => {
  if (skip) return;
  dir = await mkdtemp(path.join(tmpdir(), 'faults-pg-'));
  await chmod(dir, 0o755); // made here: the postgres user (when run as root) must pass through it
  pg = await startPg(29700, 50);
  process.env['EMPORIUM_TEST_PG_URL'] = pg.url('postgres');
  s = await startShop();
});
after(async () => {
  if (skip) return;
  await s.close();
  await pg.stop();
  await rm(dir, { recursive: true, force: true });
});

test(
  `PostgreSQL stopped for ${DOWN_MS / 1000} s under load and started again: no order answered 201 lost, none doubled`,
  { skip, timeout: 180_000 },
  async (t) => {
    const items = await Promise.all([s.product(2_000, 5), s.product(2_000, 7.25)]);
    const buyers = await Promise.all(Array.from({ length: 8 }, (_, i) => s.login(`pg_restart_${i}`)));
    const uncaught: string[] = [];
    const answers: { status: number; id?: number; code?: string; during: boolean }[] = [];
    let down = false;
    let running = true;
    process.on('uncaughtException', (err) => uncaught.push(err.message));
    const load = runBounded(8, 8, async (w) => {
      for (let i = 0; running; i++) {
        const res = await s.call(
          'POST',
          '/api/orders',
          {
            items: [{ product_id: items[(w + i) % 2]!.id, quantity: 1 }],
            shipping_address: address,
            ...(i % 9 === 4 ? { payment_method: 'pm_card_chargeDeclined' } : {}),
          },
          { ...buyers[w]!.auth, 'idempotency-key': `pg-${w}-${i}` },
        );
        answers.push({
          status: res.status,
          id: res.json?.id ?? res.json?.order_id,
          code: res.json?.code,
          during: down,
        });
        if (res.status >= 500) await sleep(100);
      }
    });
    try {
      await sleep(3_000);
      down = true;
      await pg.stop();
      await sleep(DOWN_MS);
      pg = await startPg(pg.port, 1);
      down = false;
      // Until checkouts answer again (the gateway's breaker to orders half-opens 10 s after it opened), then 2 s more.
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline && answers.slice(-8).some((a) => a.status === 503 || a.during)) await sleep(250);
      await sleep(2_000);
    } finally {
      running = false;
      await load;
    }
    assert.deepEqual(uncaught, [], 'a lost connection is an error a query reports, not an uncaught exception');
    const by = (code: number) => answers.filter((a) => a.status === code);
    const unexpected = answers.filter((a) => ![201, 202, 402, 503].includes(a.status));
    assert.deepEqual(unexpected, [], 'successes, declines, and 503 while the database is away');
    assert.ok(by(503).length > 0, 'the outage was felt');
    const recovered = answers.slice(-8);
    assert.ok(
      recovered.every((a) => a.status !== 503),
      `the last answers after the return: ${recovered.map((a) => a.status).join()}`,
    );
    const orders = await checkBooks(
      s,
      items.map((p) => ({ id: p.id, initial: 2_000 })),
      { republishAllowed: true },
    );
    // A batch published just before the database went away, and not yet marked, goes out again (docs/reliability.md).
    t.diagnostic(`${orders.length} orders, ${orders.republished} events published twice around the restart`);
    const status = new Map(orders.map((o) => [o.id, o.status]));
    for (const a of by(201)) assert.equal(status.get(a.id!), 'processing', `order ${a.id} answered 201`);
    for (const a of by(402)) assert.equal(status.get(a.id!), 'cancelled', `order ${a.id} answered 402`);
  },
);

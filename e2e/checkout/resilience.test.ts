import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { readTopic, testBrokers } from '@emporium/messaging/testing';
import { startKafka, type KafkaHandle } from '../../platform/kafka.ts';
import { waitUntilReady } from '../../platform/processes.ts';
import { address, startShop, type Shop } from './shop.ts';

// A broker of this file's own, so it can be stopped and started under a running shop.
const skip = testBrokers().length ? false : 'no Kafka (run with npm test)';
let dir: string;
let kafka: KafkaHandle;
let s: Shop;

before(async () => {
  if (skip) return;
  dir = await mkdtemp(path.join(tmpdir(), 'orders-resilience-'));
  kafka = await startKafka({ dataDir: path.join(dir, 'kafka'), port: 29300, portAttempts: 20 });
  s = await startShop({ brokers: kafka.brokers });
});
after(async () => {
  if (skip) return;
  await s.close();
  await kafka.stop();
  await rm(dir, { recursive: true, force: true });
});

const restartKafka = async () => {
  kafka = await startKafka({ dataDir: path.join(dir, 'kafka'), port: kafka.port, portAttempts: 1 });
};

test(
  'with the broker down, 100 orders still succeed; after it returns all 100 order_created arrive, no event_id twice',
  { skip, timeout: 120_000 },
  async () => {
    const a = await s.product(1_000);
    const me = await s.login('outage_buyer');
    await kafka.stop();
    const placed = await Promise.all(
      Array.from({ length: 100 }, () =>
        s.call(
          'POST',
          '/api/orders',
          { items: [{ product_id: a.id, quantity: 1 }], shipping_address: address },
          me.auth,
        ),
      ),
    );
    assert.ok(
      placed.every((r) => r.status === 201),
      placed.map((r) => r.status).join(),
    );
    const ids = new Set(placed.map((r) => String(r.json.id)));
    const backlog = (await s.ordersPool.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))
      .rows[0].n;
    assert.ok(backlog >= 100, `events wait in the outbox (${backlog})`);
    // The relay's backlog gauge shows them while the broker is away (it is counted about once a second).
    const gauge = async () =>
      (await s.relayMetrics.getSingleMetric('emporium_outbox_backlog_events')!.get()).values[0]?.value ?? 0;
    for (let i = 0; i < 100 && (await gauge()) < 100; i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok((await gauge()) >= 100, `the backlog gauge says ${await gauge()}`);

    await restartKafka();
    const got = await readTopic(
      kafka.brokers,
      'orders',
      100,
      60_000,
      (m) => ids.has(m.key) && JSON.parse(m.value).event_type === 'order_created',
    );
    assert.equal(got.length, 100);
    assert.deepEqual(new Set(got.map((m) => m.key)), ids);
    // Read everything about these orders once more and look for any event id written twice.
    const all = await readTopic(kafka.brokers, 'orders', 400, 8_000, (m) => ids.has(m.key));
    const eventIds = all.map((m) => JSON.parse(m.value).event_id as string);
    assert.equal(new Set(eventIds).size, eventIds.length, 'no event_id twice');
  },
);

test(
  'an order process killed with SIGKILL after its commit: the event still arrives after restart',
  { skip, timeout: 120_000 },
  async () => {
    // This file's order outbox is drained by the child process below, not by the in-process relay.
    await s.relays[0]!.stop();
    const a = await s.product(10);
    const me = await s.login('crash_buyer');
    const port = 29390;
    const env = {
      PATH: process.env['PATH'] ?? '',
      PORT: String(port),
      DATABASE_URL: s.ordersDbUrl,
      JWKS_URL: s.jwks,
      PRODUCTS_URL: s.urls.products,
      PAYMENTS_URL: s.urls.payments,
      KAFKA_BROKERS: kafka.brokers.join(','),
      LOG_LEVEL: 'warn',
      SERVICE_PRIVATE_KEY: s.serviceKeys.privateKeys['orders']!,
    };
    const start = async () => {
      const child = spawn(process.execPath, [path.join(import.meta.dirname, '../../services/orders/src/server.ts')], {
        env,
        stdio: 'ignore',
      });
      await waitUntilReady(`http://127.0.0.1:${port}/ready`, 120_000, new Promise((r) => child.once('exit', r)));
      return child;
    };

    await kafka.stop(); // so the committed event cannot leave before the crash
    const first = await start();
    const res = await fetch(`http://127.0.0.1:${port}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...me.auth },
      body: JSON.stringify({ items: [{ product_id: a.id, quantity: 1 }], shipping_address: address }),
    });
    const order = (await res.json()) as { id: number };
    assert.equal(res.status, 201);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const waiting = (
      await s.ordersPool.query(
        'SELECT count(*)::int AS n FROM outbox WHERE message_key = $1 AND published_at IS NULL',
        [String(order.id)],
      )
    ).rows[0].n;
    assert.ok(waiting >= 1, 'the committed event is in the outbox, unpublished');

    await restartKafka();
    const second = await start();
    try {
      const got = await readTopic(
        kafka.brokers,
        'orders',
        1,
        60_000,
        (m) => m.key === String(order.id) && JSON.parse(m.value).event_type === 'order_created',
      );
      assert.equal(got.length, 1);
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }
  },
);

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseEvent, TOPICS } from '@emporium/events';
import { createLogger } from '@emporium/kit';
import { captureLogs } from '@emporium/kit/testing';
import { createEventProducer, createOutboxRelay, ensureTopics } from '@emporium/messaging';
import { readTopic, testBrokers } from '@emporium/messaging/testing';
import client from 'prom-client';
import { order, startPayments, type Payments } from './helpers.ts';

// Payment events travel from the outbox to the real broker's `orders` topic.
const brokers = testBrokers();
const skip = brokers.length ? false : 'no Kafka broker (run with npm test)';
let p: Payments;
let relay: ReturnType<typeof createOutboxRelay>;
let producer: ReturnType<typeof createEventProducer>;

before(async () => {
  if (skip) return;
  p = await startPayments();
  await ensureTopics(brokers, [TOPICS.orders], 1);
  producer = createEventProducer({ brokers, clientId: 'payments-test' });
  relay = createOutboxRelay({
    databaseUrl: p.db.url,
    producer,
    registry: new client.Registry(),
    log: createLogger('t', 'error', captureLogs().stream),
    lockKey: 5005,
    pollMs: 200,
  });
  await relay.start();
});
after(async () => {
  if (skip) return;
  await relay.stop();
  await producer.close();
  await p.close();
});

test(
  'payment_succeeded, payment_failed and payment_refunded reach the orders topic keyed by order id, with every SPEC field',
  { skip },
  async () => {
    const base = 700_000 + Math.floor(Math.random() * 100_000);
    const headers = await p.asOrders();
    const post = (url: string, payload: object) => p.app.inject({ method: 'POST', url, headers, payload });
    const paid = (await post('/internal/payments/process', order(base))).json();
    await post('/internal/payments/process', order(base + 1, 7, 10, 'pm_card_chargeDeclined'));
    await post('/internal/payments/refund', { payment_id: paid.id, amount: 9.98 });
    const mine = await readTopic(
      brokers,
      TOPICS.orders.name,
      3,
      20_000,
      (m) => m.key === String(base) || m.key === String(base + 1),
    );
    const events = mine.map((m) => ({ key: m.key, event: parseEvent(JSON.parse(m.value)) }));
    assert.deepEqual(events.map((e) => e.event.event_type).sort(), [
      'payment_failed',
      'payment_refunded',
      'payment_succeeded',
    ]);
    for (const { key, event } of events) {
      assert.equal(key, String(event.order_id));
      for (const f of [
        'event_id',
        'event_type',
        'event_version',
        'order_id',
        'user_id',
        'total_amount',
        'status',
        'items',
        'region',
        'timestamp',
      ])
        assert.ok(f in event, f);
    }
    const refunded = events.find((e) => e.event.event_type === 'payment_refunded')!.event as {
      refund_amount: number;
      status: string;
    };
    assert.deepEqual([refunded.refund_amount, refunded.status], [9.98, 'partially_refunded']);
    assert.equal((await p.pool.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).rows[0].n, 0);
  },
);

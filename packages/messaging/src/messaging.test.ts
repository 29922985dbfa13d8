import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { Admin } from '@platformatic/kafka';
import { orderCreatedV1Example, type OrderEvent } from '@emporium/events';
import { createLogger, createPool } from '@emporium/kit';
import { captureLogs, createTestDatabase } from '@emporium/kit/testing';
import client from 'prom-client';
import { createEventConsumer } from './consumer.ts';
import { createMemoryDedupeStore, createPgDedupeStore, PROCESSED_EVENTS_DDL } from './dedupe.ts';
import { createOutboxRelay } from './outbox-relay.ts';
import { enqueueEvent, OUTBOX_DDL } from './outbox.ts';
import { createEventProducer, ensureTopics } from './producer.ts';
import { readTopic, testBrokers } from './testing.ts';

// Everything here runs against the real broker that `npm test` starts.
const brokers = testBrokers();
const skip = brokers.length ? false : 'no Kafka broker (run with npm test)';
const log = createLogger('messaging-test', 'error', captureLogs().stream);
const unique = (name: string) => `${name}-${randomBytes(4).toString('hex')}`;
const event = (orderId: number, overrides: Partial<OrderEvent> = {}): OrderEvent =>
  ({ ...orderCreatedV1Example, event_id: randomUUID(), order_id: orderId, ...overrides }) as OrderEvent;

describe('messaging on a real broker', { skip }, () => {
  const producer = skip ? undefined! : createEventProducer({ brokers, clientId: 'test-producer' });
  after(() => producer?.close());

  test('topics are created once, with their partition counts', async () => {
    const name = unique('topic');
    await ensureTopics(brokers, [{ name, partitions: 3 }], 1);
    await ensureTopics(brokers, [{ name, partitions: 3 }], 1);
    const admin = new Admin({ clientId: 'check', bootstrapBrokers: brokers });
    const meta = await admin.metadata({ topics: [name] });
    await admin.close();
    assert.equal(meta.topics.get(name)?.partitionsCount, 3);
  });

  test('a producer refuses an event its contract rejects', async () => {
    const name = unique('topic');
    await ensureTopics(brokers, [{ name, partitions: 1 }], 1);
    await assert.rejects(
      producer.publish([{ topic: name, key: '1', event: { ...event(1), total_amount: -5 } as OrderEvent }]),
      /total_amount/,
    );
  });

  for (const concurrency of [1, 8]) {
    test(`events of one order keep their order; a consumer commits after processing and resumes after a restart (concurrency ${concurrency})`, async () => {
      const topic = unique('orders');
      await ensureTopics(
        brokers,
        [
          { name: topic, partitions: 3 },
          { name: `${topic}.dlq`, partitions: 1 },
        ],
        1,
      );
      const sent = [
        event(7, { status: 'pending' }),
        event(7, { status: 'processing' }),
        event(8),
        event(7, { status: 'shipped' }),
      ];
      await producer.publish(sent.map((e) => ({ topic, key: String(e.order_id), event: e })));
      const seen: OrderEvent[] = [];
      const groupId = unique('group');
      const make = () =>
        createEventConsumer({
          brokers,
          groupId,
          clientId: 'c',
          topics: [topic],
          // A later event of an order that overtook an earlier one would show up out of order in `seen`.
          handle: async (e) => {
            await new Promise((r) => setTimeout(r, e.status === 'pending' ? 30 : 1));
            seen.push(e);
          },
          concurrency,
          dedupe: createMemoryDedupeStore(),
          deadLetters: producer,
          registry: new client.Registry(),
          log,
        });
      const first = make();
      await first.start();
      for (let i = 0; i < 100 && seen.length < 4; i++) await new Promise((r) => setTimeout(r, 100));
      await first.stop();
      assert.deepEqual(
        seen.filter((e) => e.order_id === 7).map((e) => e.status),
        ['pending', 'processing', 'shipped'],
      );
      assert.equal(seen.length, 4);

      await producer.publish([{ topic, key: '9', event: event(9) }]);
      const second = make();
      await second.start();
      // Sentinels behind the first events in their partitions: once both arrive, a redelivery would have too.
      const sentinels = [event(7, { status: 'delivered' }), event(8, { status: 'delivered' })];
      await producer.publish(sentinels.map((e) => ({ topic, key: String(e.order_id), event: e })));
      const isSentinel = (e: OrderEvent) => sentinels.some((x) => x.event_id === e.event_id);
      for (let i = 0; i < 100 && seen.filter(isSentinel).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      await second.stop();
      assert.equal(seen.filter(isSentinel).length, 2);
      assert.deepEqual(
        seen
          .slice(4)
          .filter((e) => !isSentinel(e))
          .map((e) => e.order_id),
        [9],
        'only the new event: the first four were committed',
      );
    });
  }

  test('a duplicate delivery is processed once; a failing handler is retried, then dead-lettered', async () => {
    const topic = unique('orders');
    await ensureTopics(
      brokers,
      [
        { name: topic, partitions: 1 },
        { name: `${topic}.dlq`, partitions: 1 },
      ],
      1,
    );
    const dup = event(11);
    const flaky = event(12);
    const hopeless = event(13);
    await producer.publish([dup, dup, flaky, hopeless].map((e) => ({ topic, key: String(e.order_id), event: e })));
    await producer.publishRaw(topic, '14', '{not json', {});
    const last = event(15);
    await producer.publish([{ topic, key: '15', event: last }]);

    const calls = new Map<number, number>();
    const consumer = createEventConsumer({
      brokers,
      groupId: unique('group'),
      clientId: 'c',
      topics: [topic],
      dedupe: createMemoryDedupeStore(),
      deadLetters: producer,
      registry: new client.Registry(),
      log,
      maxAttempts: 3,
      backoffMs: 20,
      handle: async (e) => {
        const n = (calls.get(e.order_id) ?? 0) + 1;
        calls.set(e.order_id, n);
        if (e.order_id === 12 && n < 3) throw new Error('flaky');
        if (e.order_id === 13) throw new Error('always broken');
      },
    });
    await consumer.start();
    for (let i = 0; i < 150 && !calls.has(15); i++) await new Promise((r) => setTimeout(r, 100));
    await consumer.stop();
    assert.equal(calls.get(11), 1, 'the duplicate was skipped');
    assert.equal(calls.get(12), 3, 'two failures, then success');
    assert.equal(calls.get(13), 3, 'gave up after maxAttempts');
    assert.equal(calls.get(15), 1, 'the partition kept moving past the poison messages');
    const dead = await readTopic(brokers, `${topic}.dlq`, 2);
    assert.equal(dead.length, 2);
    assert.match(dead.map((d) => d.headers.get('x-dead-letter-reason')).join('\n'), /always broken/);
    assert.ok(dead.some((d) => d.value === '{not json'));
  });

  test('the consumer lag gauge counts what waits behind a slow handler, and returns to 0', async () => {
    const topic = unique('orders');
    await ensureTopics(
      brokers,
      [
        { name: topic, partitions: 1 },
        { name: `${topic}.dlq`, partitions: 1 },
      ],
      1,
    );
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let handled = 0;
    const registry = new client.Registry();
    const groupId = unique('group');
    const consumer = createEventConsumer({
      brokers,
      groupId,
      clientId: 'c',
      topics: [topic],
      dedupe: createMemoryDedupeStore(),
      deadLetters: producer,
      registry,
      log,
      lagIntervalMs: 200,
      handle: async () => {
        await gate;
        handled++;
      },
    });
    const lag = async () =>
      (await registry.getSingleMetric('emporium_messaging_consumer_lag_messages')!.get()).values.find(
        (v) => v.labels['topic'] === topic,
      )?.value;
    await consumer.start();
    await producer.publish(Array.from({ length: 5 }, (_, i) => ({ topic, key: '21', event: event(21 + i) })));
    for (let i = 0; i < 100 && (await lag()) !== 5; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await lag(), 5, 'five messages written, none committed');
    release();
    for (let i = 0; i < 100 && ((await lag()) !== 0 || handled < 5); i++) await new Promise((r) => setTimeout(r, 100));
    await consumer.stop();
    assert.equal(handled, 5);
    assert.equal(await lag(), 0);
  });

  test('the outbox publishes committed events only, in order, and a republish is skipped by consumers', async () => {
    const db = await createTestDatabase();
    const pool = createPool(db.url, 4);
    await pool.query(OUTBOX_DDL + PROCESSED_EVENTS_DDL);
    const topic = unique('orders');
    await ensureTopics(
      brokers,
      [
        { name: topic, partitions: 3 },
        { name: `${topic}.dlq`, partitions: 1 },
      ],
      1,
    );
    const relay = createOutboxRelay({
      databaseUrl: db.url,
      producer,
      registry: new client.Registry(),
      log,
      lockKey: 42,
      pollMs: 200,
    });
    try {
      const committed = [event(21, { status: 'pending' }), event(21, { status: 'processing' }), event(22)];
      const tx = await pool.connect();
      await tx.query('BEGIN');
      for (const e of committed) await enqueueEvent(tx, { topic, key: String(e.order_id), event: e });
      await tx.query('COMMIT');
      const rolledBack = await pool.connect();
      await rolledBack.query('BEGIN');
      await enqueueEvent(rolledBack, { topic, key: '23', event: event(23) });
      await rolledBack.query('ROLLBACK');
      rolledBack.release();
      tx.release();

      await relay.start();
      const got = await readTopic(brokers, topic, 3);
      assert.equal(got.length, 3);
      const order21 = got.filter((g) => g.key === '21').map((g) => JSON.parse(g.value).status);
      assert.deepEqual(order21, ['pending', 'processing']);
      assert.ok(!got.some((g) => g.key === '23'), 'a rolled-back event is never published');
      for (let i = 0; i < 50; i++) {
        const { rows } = await pool.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
        if (rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }

      // A crash between publish and mark: the rows are published again with the same event ids.
      await pool.query('UPDATE outbox SET published_at = NULL');
      await relay.drain();
      assert.equal((await readTopic(brokers, topic, 6)).length, 6);
      const handled: string[] = [];
      const consumer = createEventConsumer({
        brokers,
        groupId: unique('group'),
        clientId: 'c',
        topics: [topic],
        dedupe: createPgDedupeStore(pool, 'test'),
        deadLetters: producer,
        registry: new client.Registry(),
        log,
        handle: async (e) => void handled.push(e.event_id),
      });
      await consumer.start();
      // Sentinels behind the duplicates in both partitions: when both are handled, every duplicate was seen.
      const sentinels = [event(21, { status: 'shipped' }), event(22, { status: 'shipped' })];
      await producer.publish(sentinels.map((e) => ({ topic, key: String(e.order_id), event: e })));
      const ids = new Set(sentinels.map((e) => e.event_id));
      for (let i = 0; i < 100 && handled.filter((h) => ids.has(h)).length < 2; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      await consumer.stop();
      assert.equal(handled.filter((h) => ids.has(h)).length, 2);
      assert.deepEqual(
        handled.filter((h) => !ids.has(h)).sort(),
        committed.map((e) => e.event_id).sort(),
        'each event handled exactly once',
      );
    } finally {
      await relay.stop();
      await pool.end();
      await db.drop();
    }
  });
});

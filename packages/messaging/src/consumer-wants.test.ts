import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { orderCreatedV1Example, type OrderEvent } from '@emporium/events';
import { createLogger } from '@emporium/kit';
import { captureLogs } from '@emporium/kit/testing';
import client from 'prom-client';
import { createEventConsumer } from './consumer.ts';
import { createMemoryDedupeStore, type DedupeStore } from './dedupe.ts';
import { createEventProducer, ensureTopics } from './producer.ts';
import { testBrokers } from './testing.ts';

// On the real broker that `npm test` starts.
const brokers = testBrokers();
const skip = brokers.length ? false : 'no Kafka broker (run with npm test)';
const producer = skip ? undefined! : createEventProducer({ brokers, clientId: 'wants-test' });
after(() => producer?.close());
const event = (orderId: number, status: OrderEvent['status']): OrderEvent =>
  ({ ...orderCreatedV1Example, event_id: randomUUID(), order_id: orderId, status }) as OrderEvent;

test(
  'a message the consumer does not want is committed without a handler call or a dedupe mark',
  { skip },
  async () => {
    const topic = `wants-${randomBytes(4).toString('hex')}`;
    const groupId = `${topic}-group`;
    await ensureTopics(
      brokers,
      [
        { name: topic, partitions: 1 },
        { name: `${topic}.dlq`, partitions: 1 },
      ],
      1,
    );
    const handled: string[] = [];
    const marked: string[] = [];
    const memory = createMemoryDedupeStore();
    const dedupe: DedupeStore = {
      run(id, work) {
        marked.push(id);
        return memory.run(id, work);
      },
    };
    const registry = new client.Registry();
    const make = () =>
      createEventConsumer({
        brokers,
        groupId,
        clientId: 'wants',
        topics: [topic],
        wants: (e) => e.status !== 'pending',
        handle: async (e) => void handled.push(e.event_id),
        dedupe,
        deadLetters: producer,
        registry,
        log: createLogger('wants-test', 'error', captureLogs().stream),
      });
    const unwanted = event(1, 'pending');
    const wanted = event(1, 'processing');
    await producer.publish([unwanted, wanted].map((e) => ({ topic, key: '1', event: e })));
    const first = make();
    await first.start();
    for (let i = 0; i < 100 && handled.length < 1; i++) await new Promise((r) => setTimeout(r, 100));
    await first.stop();
    assert.deepEqual(handled, [wanted.event_id]);
    assert.deepEqual(marked, [wanted.event_id], 'no mark for the unwanted message');
    const outcomes = async () =>
      (await registry.getSingleMetric('emporium_messaging_consumed_total')!.get()).values
        .map((v) => [v.labels['outcome'], v.value])
        .sort();
    assert.deepEqual(await outcomes(), [
      ['ignored', 1],
      ['processed', 1],
    ]);

    // Both were committed: a new member of the group reads only what comes after them.
    const later = event(2, 'shipped');
    await producer.publish([{ topic, key: '2', event: later }]);
    const second = make();
    await second.start();
    for (let i = 0; i < 100 && handled.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    await second.stop();
    assert.deepEqual(handled, [wanted.event_id, later.event_id]);
    assert.deepEqual(await outcomes(), [
      ['ignored', 1],
      ['processed', 2],
    ]);
  },
);

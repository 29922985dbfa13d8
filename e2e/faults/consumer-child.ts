import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, createPool } from '@emporium/kit';
import { createEventConsumer, createEventProducer, createPgDedupeStore } from '@emporium/messaging';
import client from 'prom-client';

// A consumer in a process of its own, for consumer.test.ts to kill mid-batch. Each event it handles is one row
// in `handled`, written in the de-duplication store's transaction; order 999999 is a poison pill.
const env = (name: string) => process.env[name]!;
const brokers = env('BROKERS').split(',');
const pool = createPool(env('DATABASE_URL'), 4);
const producer = createEventProducer({ brokers, clientId: 'fault-consumer-dlq' });
const consumer = createEventConsumer({
  brokers,
  groupId: env('GROUP'),
  clientId: 'fault-consumer',
  topics: [env('TOPIC')],
  dedupe: createPgDedupeStore(pool, 'fault-consumer'),
  deadLetters: producer,
  registry: new client.Registry(),
  log: createLogger('fault-consumer', 'error'),
  maxAttempts: 3,
  backoffMs: 20,
  handle: async (event, _meta, tx) => {
    if (event.order_id === 999_999) throw new Error('poison');
    await tx!.query('INSERT INTO handled (event_id, order_id) VALUES ($1, $2)', [event.event_id, event.order_id]);
    await sleep(5); // slow enough that a kill lands mid-batch
  },
});
await consumer.start();
console.log('started');
process.on('SIGTERM', () => {
  void consumer
    .stop()
    .then(() => producer.close())
    .then(() => pool.end())
    .then(() => process.exit(0));
});

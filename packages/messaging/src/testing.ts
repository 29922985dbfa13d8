import { randomBytes } from 'node:crypto';
import {
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';

/** The broker `npm test` started, or none. */
export const testBrokers = (): string[] =>
  (process.env['EMPORIUM_TEST_KAFKA_BROKERS'] ?? '').split(',').filter(Boolean);

export interface ReadMessage {
  key: string;
  value: string;
  partition: number;
  headers: Map<string, string>;
}

/** Reads a topic from the start until `count` messages matched `filter`, or the time is up. */
export async function readTopic(
  brokers: string[],
  topic: string,
  count: number,
  timeoutMs = 20_000,
  filter: (m: ReadMessage) => boolean = () => true,
): Promise<ReadMessage[]> {
  const consumer = new Consumer({
    groupId: `reader-${randomBytes(4).toString('hex')}`,
    clientId: 'reader',
    bootstrapBrokers: brokers,
    deserializers: stringDeserializers,
    autocommit: false,
    maxWaitTime: 200,
  });
  const stream = await consumer.consume({
    topics: [topic],
    mode: MessagesStreamModes.EARLIEST,
    fallbackMode: MessagesStreamFallbackModes.EARLIEST,
  });
  const out: ReadMessage[] = [];
  const timer = setTimeout(() => void stream.close(), timeoutMs);
  for await (const m of stream) {
    const msg = { key: m.key, value: m.value, partition: m.partition, headers: m.headers };
    if (filter(msg)) out.push(msg);
    if (out.length >= count) break;
  }
  clearTimeout(timer);
  await stream.close();
  await consumer.close();
  return out;
}

/**
 * Writes messages inside one Kafka transaction, as an exactly-once producer (the Flink job's sink) does,
 * then commits it or aborts it.
 */
export async function produceInTransaction(
  brokers: string[],
  messages: Array<{ topic: string; key: string; value: string }>,
  outcome: 'commit' | 'abort',
): Promise<void> {
  const producer = new Producer({
    clientId: 'transactional-test-producer',
    bootstrapBrokers: brokers,
    serializers: stringSerializers,
    idempotent: true,
    transactionalId: `test-tx-${randomBytes(4).toString('hex')}`,
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
  });
  try {
    const tx = await producer.beginTransaction();
    await tx.send({ messages });
    await (outcome === 'commit' ? tx.commit() : tx.abort());
  } finally {
    await producer.close();
  }
}

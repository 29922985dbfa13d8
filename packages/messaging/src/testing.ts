import { randomBytes } from 'node:crypto';
import { Consumer, MessagesStreamFallbackModes, MessagesStreamModes, stringDeserializers } from '@platformatic/kafka';

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

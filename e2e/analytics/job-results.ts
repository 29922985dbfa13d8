import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import {
  Consumer,
  FetchIsolationLevels,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  Producer,
  ProduceAcks,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import { parseEvent, type OrderEvent } from '@emporium/events';

export interface Result {
  key: string;
  partition: number;
  value: Record<string, unknown> & { result_type: string; window_start: string };
}

/** Every message of a topic from its start, as it arrives; read_committed unless asked otherwise. */
export async function follow<V = Result['value']>(brokers: string[], topic: string, isCommittedOnly = true) {
  const consumer = new Consumer({
    groupId: `analytics-e2e-${randomBytes(4).toString('hex')}`,
    clientId: 'analytics-e2e',
    bootstrapBrokers: brokers,
    deserializers: stringDeserializers,
    autocommit: false,
    maxWaitTime: 200,
    isolationLevel: isCommittedOnly ? FetchIsolationLevels.READ_COMMITTED : FetchIsolationLevels.READ_UNCOMMITTED,
  });
  const stream = await consumer.consume({
    topics: [topic],
    mode: MessagesStreamModes.EARLIEST,
    fallbackMode: MessagesStreamFallbackModes.EARLIEST,
  });
  const seen: { key: string; partition: number; value: V }[] = [];
  const done = (async () => {
    for await (const m of stream) seen.push({ key: m.key, partition: m.partition, value: JSON.parse(m.value) as V });
  })();
  return {
    seen,
    async close() {
      await stream.close();
      await done.catch(() => undefined);
      await consumer.close();
    },
  };
}

/** Sends contract-checked events; each to the partition given (the watermark needs every partition to move). */
export function eventSender(brokers: string[], topic: string) {
  const producer = new Producer({
    clientId: 'analytics-e2e',
    bootstrapBrokers: brokers,
    serializers: stringSerializers,
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
  });
  return {
    async send(events: { event: OrderEvent; partition: number }[]) {
      await producer.send({
        messages: events.map(({ event, partition }) => ({
          topic,
          partition,
          key: String(event.order_id),
          value: JSON.stringify(parseEvent(event)),
        })),
      });
    },
    close: () => producer.close(),
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
  });
}

type Check<T> = () => T | undefined | false | Promise<T | undefined | false>;

export async function waitFor<T>(what: string, check: Check<T>, timeoutMs = 120_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    const value = await check();
    if (value) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A counter from the job's /metrics, or undefined while it does not answer. */
export async function metric(metricsUrl: string, name: string): Promise<number | undefined> {
  const text = await fetch(`${metricsUrl}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : undefined;
}

import { Admin, Producer, ProduceAcks, stringSerializers } from '@platformatic/kafka';
import { parseAnyEvent, type PlatformEvent } from '@emporium/events';

export interface TopicSpec {
  name: string;
  partitions: number;
}

/** Creates the topics that are missing; topics that exist are left as they are. */
export async function ensureTopics(brokers: string[], topics: TopicSpec[], replicationFactor: number): Promise<void> {
  const admin = new Admin({ clientId: 'emporium-topics', bootstrapBrokers: brokers });
  try {
    const existing = new Set(await admin.listTopics());
    for (const t of topics) {
      if (existing.has(t.name)) continue;
      try {
        await admin.createTopics({ topics: [t.name], partitions: t.partitions, replicas: replicationFactor });
      } catch (err) {
        // Another process created it first: that is the outcome we wanted.
        if (!(err as { findBy?: (k: string, v: string) => unknown }).findBy?.('apiId', 'TOPIC_ALREADY_EXISTS'))
          throw err;
      }
    }
  } finally {
    await admin.close();
  }
}

export interface OutgoingEvent {
  topic: string;
  /** Messages about one order share the key order_id, so they stay in order on one partition. */
  key: string;
  event: PlatformEvent;
}

export interface EventProducer {
  publish(messages: OutgoingEvent[]): Promise<void>;
  /** Raw bytes to a topic (dead letters); no contract check. */
  publishRaw(topic: string, key: string | undefined, value: string, headers: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

/** acks=all and idempotence: a retried send never writes a message twice within this producer. */
export function createEventProducer(options: {
  brokers: string[];
  clientId: string;
  retries?: number;
  timeoutMs?: number;
}): EventProducer {
  const producer = new Producer({
    clientId: options.clientId,
    // The design's Kafka producer timeout: a request the broker does not answer in 10 s fails (and is retried).
    timeout: options.timeoutMs ?? 10_000,
    bootstrapBrokers: options.brokers,
    serializers: stringSerializers,
    idempotent: true,
    acks: ProduceAcks.ALL,
    retries: options.retries ?? 5,
    retryDelay: 250,
    autocreateTopics: false,
  });
  return {
    async publish(messages) {
      if (messages.length === 0) return;
      await producer.send({
        messages: messages.map((m) => {
          parseAnyEvent(m.event); // a producer never writes what its own contract refuses
          return {
            topic: m.topic,
            key: m.key,
            value: JSON.stringify(m.event),
            headers: { event_type: m.event.event_type, event_version: String(m.event.event_version) },
          };
        }),
      });
    },
    async publishRaw(topic, key, value, headers) {
      await producer.send({ messages: [{ topic, ...(key === undefined ? {} : { key }), value, headers }] });
    },
    close: () => producer.close(),
  };
}

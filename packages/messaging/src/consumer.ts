import {
  Consumer,
  FetchIsolationLevels,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  stringDeserializers,
  type Message,
} from '@platformatic/kafka';
import { deadLetterTopic, InvalidEventError, parseEvent, type OrderEvent } from '@emporium/events';
import { Counter, Gauge, Histogram, sharedMetric, type Registry } from '@emporium/kit';
import type { LogLike } from './log.ts';
import { createKeyedRunner } from './keyed-runner.ts';
import { guardAbortedTransactions } from './read-committed.ts';
import type { PoolClient } from 'pg';
import type { DedupeStore } from './dedupe.ts';
import type { EventProducer } from './producer.ts';

export interface ConsumedMeta {
  topic: string;
  partition: number;
  offset: bigint;
  attempt: number;
}

export interface DeadLetter {
  topic: string;
  partition: number;
  offset: bigint;
  key: string | undefined;
  value: string;
  reason: string;
}

/** How a topic's messages are read: checked against their contract, and the id duplicates are known by. */
export interface MessageContract<T> {
  parse(value: unknown): T;
  idOf(message: T): string;
}

/** The order events of the `orders` topic, de-duplicated by `event_id`. */
export const orderEvents: MessageContract<OrderEvent> = { parse: parseEvent, idOf: (e) => e.event_id };

export interface EventConsumerOptions<T = OrderEvent> {
  brokers: string[];
  groupId: string;
  clientId: string;
  topics: string[];
  /** The order events by default. */
  contract?: MessageContract<T>;
  /**
   * `read_committed` (the default) never hands over a message of an open or aborted Kafka transaction,
   * which exactly-once producers (the Flink job's transactional sink) rely on.
   */
  isolation?: 'read_committed' | 'read_uncommitted';
  handle: (message: T, meta: ConsumedMeta, tx?: PoolClient) => Promise<void>;
  /** Reads a message's value when its id is `event_id` (a shorthand for `contract`). */
  parse?: (value: unknown) => T;
  dedupe: DedupeStore;
  /**
   * Whether this consumer has anything to do for a message (default: every one). One it has not is committed
   * without a handler call or a de-duplication mark: nothing was done, so there is nothing to do only once.
   */
  wants?: (message: T) => boolean;
  /** Sends poison messages to `<topic>.dlq`. */
  deadLetters: EventProducer;
  maxAttempts?: number;
  backoffMs?: number;
  /** Cap of the exponential backoff between attempts. */
  maxBackoffMs?: number;
  /** Called after a message was parked in the dead-letter topic (e.g. to record it where people look). */
  onDeadLetter?: (dead: DeadLetter) => Promise<void>;
  /**
   * Messages handled at once (default 1): one key (one order) at a time and in order, different keys and
   * partitions side by side; offsets are still committed only past what was handled.
   */
  concurrency?: number;
  /** How often the offset lag (latest offset − committed offset) is measured. */
  lagIntervalMs?: number;
  registry: Registry;
  log: LogLike;
}

export interface EventConsumer {
  start(): Promise<void>;
  stop(): Promise<void>;
}

function metricsOf(registry: Registry) {
  return {
    outcomes: sharedMetric(
      registry,
      'emporium_messaging_consumed_total',
      () =>
        new Counter({
          name: 'emporium_messaging_consumed_total',
          help: 'Consumed messages by outcome (processed, duplicate, ignored, retried, dead_lettered)',
          labelNames: ['group', 'topic', 'outcome'],
          registers: [registry],
        }),
    ),
    delay: sharedMetric(
      registry,
      'emporium_messaging_consume_delay_seconds',
      () =>
        new Histogram({
          name: 'emporium_messaging_consume_delay_seconds',
          help: 'Time from a message being written to it being processed',
          labelNames: ['group', 'topic'],
          buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600],
          registers: [registry],
        }),
    ),
    lag: sharedMetric(
      registry,
      'emporium_messaging_consumer_lag_messages',
      () =>
        new Gauge({
          name: 'emporium_messaging_consumer_lag_messages',
          help: 'Messages written but not yet committed by this consumer, per assigned partition',
          labelNames: ['group', 'topic', 'partition'],
          registers: [registry],
        }),
    ),
  };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * At-least-once consumption, made effectively once by the dedupe store: offsets are committed only
 * after a message was processed (or parked in the dead-letter topic), and the messages of one key are
 * handled one at a time, in order.
 */
export function createEventConsumer<T = OrderEvent>(options: EventConsumerOptions<T>): EventConsumer {
  const contract: MessageContract<T> =
    options.contract ??
    (options.parse
      ? { parse: options.parse, idOf: (e) => (e as unknown as { event_id: string }).event_id }
      : (orderEvents as unknown as MessageContract<T>));
  const m = metricsOf(options.registry);
  const maxAttempts = options.maxAttempts ?? 5;
  const backoffMs = options.backoffMs ?? 200;
  const stopping = new AbortController();
  const consumer = new Consumer({
    groupId: options.groupId,
    clientId: options.clientId,
    bootstrapBrokers: options.brokers,
    deserializers: stringDeserializers,
    autocommit: false,
    isolationLevel:
      options.isolation === 'read_uncommitted'
        ? FetchIsolationLevels.READ_UNCOMMITTED
        : FetchIsolationLevels.READ_COMMITTED,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    maxWaitTime: 500,
    retries: 10,
    retryDelay: 500,
  });
  if (options.isolation !== 'read_uncommitted') guardAbortedTransactions(consumer);
  let loop: Promise<void> | undefined;
  let stream: Awaited<ReturnType<typeof consumer.consume>> | undefined;
  consumer.on('consumer:lag', (lag) => {
    for (const [topic, partitions] of lag) {
      // Negative: a partition another member of the group owns.
      partitions.forEach(
        (l, partition) =>
          l >= 0n && m.lag.set({ group: options.groupId, topic, partition: String(partition) }, Number(l)),
      );
    }
  });
  consumer.on('consumer:lag:error', () => undefined); // measured again at the next interval

  async function deadLetter(msg: Message<string, string, string, string>, reason: string): Promise<void> {
    await options.deadLetters.publishRaw(deadLetterTopic(msg.topic), msg.key || undefined, msg.value, {
      'x-dead-letter-reason': reason.slice(0, 500),
      'x-original-topic': msg.topic,
      'x-original-partition': String(msg.partition),
      'x-original-offset': String(msg.offset),
      'x-consumer-group': options.groupId,
    });
    m.outcomes.inc({ group: options.groupId, topic: msg.topic, outcome: 'dead_lettered' });
    options.log.error(
      { topic: msg.topic, partition: msg.partition, offset: String(msg.offset), reason },
      'message sent to the dead-letter topic',
    );
    await options
      .onDeadLetter?.({
        topic: msg.topic,
        partition: msg.partition,
        offset: msg.offset,
        key: msg.key || undefined,
        value: msg.value,
        reason,
      })
      .catch((err: unknown) => options.log.error({ err }, 'recording a dead letter failed'));
  }

  async function processOne(msg: Message<string, string, string, string>): Promise<void> {
    let event: T;
    try {
      event = contract.parse(JSON.parse(msg.value));
    } catch (err) {
      // Retrying cannot fix a message that breaks its contract: park it at once.
      return deadLetter(
        msg,
        err instanceof InvalidEventError || err instanceof SyntaxError ? err.message : String(err),
      );
    }
    if (options.wants && !options.wants(event)) {
      m.outcomes.inc({ group: options.groupId, topic: msg.topic, outcome: 'ignored' });
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await options.dedupe.run(contract.idOf(event), (tx) =>
          options.handle(event, { topic: msg.topic, partition: msg.partition, offset: msg.offset, attempt }, tx),
        );
        m.outcomes.inc({ group: options.groupId, topic: msg.topic, outcome });
        m.delay.observe(
          { group: options.groupId, topic: msg.topic },
          Math.max(0, Date.now() - Number(msg.timestamp)) / 1000,
        );
        return;
      } catch (err) {
        if (attempt >= maxAttempts || stopping.signal.aborted) {
          if (stopping.signal.aborted) throw err; // not committed: the next owner of the partition retries it
          return deadLetter(msg, `failed ${attempt} times: ${(err as Error).message}`);
        }
        m.outcomes.inc({ group: options.groupId, topic: msg.topic, outcome: 'retried' });
        await sleep(Math.min(backoffMs * 2 ** (attempt - 1), options.maxBackoffMs ?? Infinity), stopping.signal);
      }
    }
  }

  const runner = createKeyedRunner<Message<string, string, string, string>>({
    concurrency: options.concurrency ?? 1,
    run: processOne,
    onCommitError: (err) => options.log.warn({ err }, 'offset commit failed; those messages may be delivered again'),
  });

  return {
    async start() {
      stream = await consumer.consume({
        topics: options.topics,
        mode: MessagesStreamModes.COMMITTED,
        fallbackMode: MessagesStreamFallbackModes.EARLIEST,
      });
      consumer.startLagMonitoring({ topics: options.topics }, options.lagIntervalMs ?? 5_000);
      loop = (async () => {
        try {
          for await (const msg of stream!) {
            // Left uncommitted while stopping: the next owner of the partition reads it.
            if (!stopping.signal.aborted) await runner.submit(msg);
          }
        } catch (err) {
          if (!stopping.signal.aborted) options.log.error({ err }, 'consumer loop stopped');
        }
      })();
    },
    async stop() {
      stopping.abort();
      // What was started finishes (a retry's wait is cut short and left uncommitted) and is committed.
      await runner.close().catch(() => undefined);
      consumer.stopLagMonitoring();
      await stream?.close();
      await loop;
      await consumer.close();
    },
  };
}

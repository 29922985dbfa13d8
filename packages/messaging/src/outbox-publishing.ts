import type { Flags, Registry } from '@emporium/kit';
import type { LogLike } from './log.ts';
import { createOutboxRelay } from './outbox-relay.ts';
import { createEventProducer } from './producer.ts';
import { withPublishFailureFlag } from './publish-flags.ts';

export interface OutboxPublishingOptions {
  brokers: string[];
  clientId: string;
  timeoutMs: number;
  databaseUrl: string;
  registry: Registry;
  log: LogLike;
  /** Distinguishes the relays of different services that share a PostgreSQL server. */
  lockKey: number;
  /** With flags on (never in production), `kafkaPublishFailure` makes sends fail, so events wait in the outbox. */
  flags?: Pick<Flags, 'boolean' | 'active'>;
}

/** A service's outbox, published to Kafka by its relay: started here, stopped (relay, then producer) on shutdown. */
export async function startOutboxPublishing(options: OutboxPublishingOptions): Promise<{ stop(): Promise<void> }> {
  const producer = createEventProducer({
    brokers: options.brokers,
    clientId: options.clientId,
    timeoutMs: options.timeoutMs,
  });
  const relay = createOutboxRelay({
    databaseUrl: options.databaseUrl,
    producer: options.flags?.active ? withPublishFailureFlag(producer, options.flags) : producer,
    registry: options.registry,
    log: options.log,
    lockKey: options.lockKey,
  });
  await relay.start();
  return {
    async stop() {
      await relay.stop();
      await producer.close();
    },
  };
}

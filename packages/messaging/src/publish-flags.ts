import type { Flags } from '@emporium/kit';
import type { EventProducer } from './producer.ts';

/** What a publish throws while the `kafkaPublishFailure` flag is on. */
export class PublishRefusedByFlagError extends Error {
  constructor() {
    super('kafkaPublishFailure flag is on: publish refused');
    this.name = 'PublishRefusedByFlagError';
  }
}

/**
 * A producer that fails every send while `kafkaPublishFailure` is on, as if the brokers were gone: the
 * outbox relay keeps its rows, backs off and retries, and publishes them once the flag is off again.
 */
export function withPublishFailureFlag(producer: EventProducer, flags: Pick<Flags, 'boolean'>): EventProducer {
  const refuse = () => {
    if (flags.boolean('kafkaPublishFailure')) throw new PublishRefusedByFlagError();
  };
  return {
    async publish(messages) {
      refuse();
      await producer.publish(messages);
    },
    async publishRaw(topic, key, value, headers) {
      refuse();
      await producer.publishRaw(topic, key, value, headers);
    },
    close: () => producer.close(),
  };
}

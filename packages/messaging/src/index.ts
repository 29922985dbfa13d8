export {
  createEventConsumer,
  orderEvents,
  type ConsumedMeta,
  type DeadLetter,
  type EventConsumer,
  type EventConsumerOptions,
  type MessageContract,
} from './consumer.ts';
export {
  createMemoryDedupeStore,
  createPgDedupeStore,
  createPgNaturalKeyStore,
  PROCESSED_EVENTS_DDL,
  type DedupeStore,
} from './dedupe.ts';
export { enqueueEvent, OUTBOX_DDL, outboxInsert } from './outbox.ts';
export { createOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from './outbox-relay.ts';
export { startOutboxPublishing, type OutboxPublishingOptions } from './outbox-publishing.ts';
export {
  createEventProducer,
  ensureTopics,
  type EventProducer,
  type OutgoingEvent,
  type TopicSpec,
} from './producer.ts';
export { PublishRefusedByFlagError, withPublishFailureFlag } from './publish-flags.ts';

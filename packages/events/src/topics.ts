/** Topics as the design names them; partitions per SPEC, replication from configuration (2 in production, 1 locally). */
export const TOPICS = {
  orders: { name: 'orders', partitions: 3 },
  analyticsResults: { name: 'analytics-results', partitions: 3 },
  notifications: { name: 'notifications', partitions: 1 },
} as const;

/** Where a consumer parks a message it cannot process, so the partition keeps moving. */
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

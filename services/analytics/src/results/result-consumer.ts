import { parseAnalyticsResult, resultItemKey, resultMessageKey, TOPICS, type AnalyticsResult } from '@emporium/events';
import type { Pool, Registry } from '@emporium/kit';
import {
  createEventConsumer,
  createPgNaturalKeyStore,
  type EventConsumer,
  type EventProducer,
  type MessageContract,
} from '@emporium/messaging';
import type { ResultService } from './result-service.ts';

const results: MessageContract<AnalyticsResult> = {
  parse: parseAnalyticsResult,
  idOf: (r) => `${resultMessageKey(r)}:${resultItemKey(r)}`,
};

/**
 * Reads `analytics-results` read_committed: the job's transactional sink makes a window's results visible
 * once its checkpoint commits, and never those of an aborted attempt. Idempotent by each result's own key.
 */
export function createResultConsumer(options: {
  brokers: string[];
  groupId: string;
  pool: Pool;
  service: ResultService;
  deadLetters: EventProducer;
  registry: Registry;
  log: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
  topic?: string;
}): EventConsumer {
  return createEventConsumer<AnalyticsResult>({
    brokers: options.brokers,
    groupId: options.groupId,
    clientId: 'analytics',
    topics: [options.topic ?? TOPICS.analyticsResults.name],
    contract: results,
    isolation: 'read_committed',
    dedupe: createPgNaturalKeyStore(options.pool),
    handle: async (result, _meta, tx) => void (await options.service.ingest(result, tx!)),
    deadLetters: options.deadLetters,
    registry: options.registry,
    log: options.log,
  });
}

import { checkOut, withTransaction } from '@emporium/kit';
import type { Pool, PoolClient } from 'pg';

/**
 * Runs the work for an event id at most once. `duplicate` means it was done before (Kafka delivers at
 * least once); a failed work leaves no mark, so a retry runs it again.
 */
export interface DedupeStore {
  run(eventId: string, work: (tx?: PoolClient) => Promise<void>): Promise<'processed' | 'duplicate'>;
}

/** The durable store: the mark and the work's own writes commit in one PostgreSQL transaction. */
export function createPgDedupeStore(pool: Pool, consumer: string): DedupeStore {
  return {
    async run(eventId, work) {
      const tx = await checkOut(pool);
      try {
        await tx.query('BEGIN');
        const { rowCount } = await tx.query(
          'INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          [consumer, eventId],
        );
        if (rowCount === 0) {
          await tx.query('ROLLBACK');
          return 'duplicate';
        }
        await work(tx);
        await tx.query('COMMIT');
        return 'processed';
      } catch (err) {
        await tx.query('ROLLBACK').catch(() => undefined); // the handler's error is rethrown below
        throw err;
      } finally {
        tx.release();
      }
    },
  };
}

/**
 * For a consumer whose writes are idempotent by the message's own key (an upsert that changes nothing the
 * second time), like the analytics results: no mark is kept, but the work runs in one transaction.
 */
export function createPgNaturalKeyStore(pool: Pool): DedupeStore {
  return {
    async run(_id, work) {
      await withTransaction(pool, (tx) => work(tx));
      return 'processed';
    },
  };
}

/** For a consumer whose work is naturally idempotent or that keeps no database: remembers recent ids. */
export function createMemoryDedupeStore(maxIds = 100_000): DedupeStore {
  const seen = new Set<string>();
  return {
    async run(eventId, work) {
      if (seen.has(eventId)) return 'duplicate';
      await work();
      if (seen.size >= maxIds) seen.delete(seen.values().next().value as string);
      seen.add(eventId);
      return 'processed';
    },
  };
}

export const PROCESSED_EVENTS_DDL = `
CREATE TABLE IF NOT EXISTS processed_events (
  consumer TEXT NOT NULL,
  event_id UUID NOT NULL,
  processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);`;

import { parseAnyEvent } from '@emporium/events';
import pg from 'pg';
import type { OutgoingEvent } from './producer.ts';

/**
 * The table a service adds in its own migration to publish through the outbox. Its trigger wakes the
 * relay (LISTEN outbox) when the inserting transaction commits, once per transaction, at no extra round trip.
 */
export const OUTBOX_DDL = `
CREATE TABLE IF NOT EXISTS outbox (
  id BIGSERIAL PRIMARY KEY,
  topic TEXT NOT NULL,
  message_key TEXT NOT NULL,
  event_id UUID NOT NULL UNIQUE,
  event_type TEXT NOT NULL,
  payload JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
  published_at TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox', '');
  RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();`;

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * The outbox INSERT for one event as a fragment of the caller's own SQL statement (a CTE), so a state
 * change and its event commit together in a single round trip. Placeholders start at `$first`; with
 * `when` (a SQL condition) the event is recorded only if it holds, e.g. only if a guarded UPDATE matched.
 */
export function outboxInsert(message: OutgoingEvent, first: number, when?: string): { sql: string; params: unknown[] } {
  parseAnyEvent(message.event);
  const [topic, key, id, type, payload] = [0, 1, 2, 3, 4].map((i) => `$${first + i}`);
  return {
    sql: `INSERT INTO outbox (topic, message_key, event_id, event_type, payload) SELECT ${topic}::text, ${key}::text, ${id}::uuid, ${type}::text, ${payload}::jsonb${when ? ` WHERE ${when}` : ''}`,
    params: [
      message.topic,
      message.key,
      message.event.event_id,
      message.event.event_type,
      JSON.stringify(message.event),
    ],
  };
}

/** Records an event in the caller's transaction: it is published if and only if that transaction commits. */
export async function enqueueEvent(tx: Queryable, message: OutgoingEvent): Promise<void> {
  const insert = outboxInsert(message, 1);
  await tx.query(insert.sql, insert.params);
}

import type { Queryable } from '@emporium/kit';

export type DeliveryStatus = 'queued' | 'sent' | 'failed' | 'dead' | 'skipped';
export type DeliveryChannel = 'email' | 'sms' | 'push' | 'none';

export interface DeliveryRow {
  id: string;
  event_id: string;
  source_topic: string;
  event: Record<string, unknown>;
  notification_type: string;
  channel: DeliveryChannel;
  recipient: string;
  user_id: number | null;
  subject: string | null;
  body_text: string | null;
  body_html: string | null;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  provider_message_id: string | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
}

export interface NewDelivery {
  eventId: string;
  sourceTopic: string;
  event: object;
  type: string;
  channel: DeliveryChannel;
  recipient: string;
  userId: number | null;
  subject: string | null;
  text: string | null;
  html: string | null;
  status?: 'queued' | 'dead';
  lastError?: string;
}

export interface SentMark {
  id: string;
  providerMessageId: string | null;
  attempts: number;
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  channel?: DeliveryChannel;
  type?: string;
  userId?: number;
  eventId?: string;
  orderId?: number;
}

const COLUMNS = `id::text, event_id, source_topic, event, notification_type, channel, recipient, user_id, subject, body_text,
  body_html, status, attempts, next_attempt_at, provider_message_id, last_error, created_at, updated_at, sent_at`;

export function createDeliveryRepository(db: Queryable) {
  return {
    /** One row per (event, channel, recipient): a redelivered event finds its rows there and adds none. */
    async insert(rows: NewDelivery[], q: Queryable = db): Promise<number> {
      if (rows.length === 0) return 0;
      const cols = 12;
      const values = rows.map(
        (_, i) => `(${Array.from({ length: cols }, (_, j) => `$${i * cols + j + 1}`).join(', ')})`,
      );
      const { rowCount } = await q.query(
        `INSERT INTO deliveries (event_id, source_topic, event, notification_type, channel, recipient, user_id, subject,
           body_text, body_html, status, last_error)
         VALUES ${values.join(', ')} ON CONFLICT (event_id, channel, recipient) DO NOTHING`,
        rows.flatMap((r) => [
          r.eventId,
          r.sourceTopic,
          JSON.stringify(r.event),
          r.type,
          r.channel,
          r.recipient,
          r.userId,
          r.subject,
          r.text,
          r.html,
          r.status ?? 'queued',
          r.lastError ?? null,
        ]),
      );
      return rowCount ?? 0;
    },

    /**
     * Takes up to `limit` due rows of the given channels for `leaseSeconds`; another dispatcher (or this one
     * after a crash) may take them once the lease lapses, so a row is never lost, and never sent by two at once.
     */
    async claimDue(channels: DeliveryChannel[], limit: number, leaseSeconds: number): Promise<DeliveryRow[]> {
      if (channels.length === 0) return [];
      const { rows } = await db.query<DeliveryRow>(
        `UPDATE deliveries SET locked_until = now() + $3 * interval '1 second'
         WHERE id IN (
           SELECT id FROM deliveries
           WHERE status IN ('queued', 'failed') AND next_attempt_at <= now() AND channel = ANY($1)
             AND (locked_until IS NULL OR locked_until < now())
           ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING ${COLUMNS}`,
        [channels, limit, leaseSeconds],
      );
      return rows;
    },

    /** Several at once: at a hundred mails a second one statement (one commit) per mail is most of the database's work. */
    async markSent(marks: SentMark[]): Promise<void> {
      if (marks.length === 0) return;
      await db.query(
        `UPDATE deliveries d SET status = 'sent', provider_message_id = m.provider_message_id, attempts = m.attempts,
           sent_at = now(), updated_at = now(), locked_until = NULL, last_error = NULL
         FROM unnest($1::bigint[], $2::text[], $3::int[]) AS m(id, provider_message_id, attempts)
         WHERE d.id = m.id`,
        [marks.map((m) => m.id), marks.map((m) => m.providerMessageId), marks.map((m) => m.attempts)],
      );
    },

    /** The channel has no provider configured: the rendered message stays here, and nothing was sent. */
    async markSkipped(id: string, note: string): Promise<void> {
      await db.query(
        `UPDATE deliveries SET status = 'skipped', last_error = $2, updated_at = now(), locked_until = NULL WHERE id = $1`,
        [id, note],
      );
    },

    async markFailed(id: string, error: string, attempts: number, retryInMs: number): Promise<void> {
      await db.query(
        `UPDATE deliveries SET status = 'failed', last_error = $2, attempts = $3,
           next_attempt_at = now() + $4 * interval '1 millisecond', updated_at = now(), locked_until = NULL
         WHERE id = $1`,
        [id, error.slice(0, 1000), attempts, retryInMs],
      );
    },

    async markDead(id: string, error: string, attempts: number): Promise<void> {
      await db.query(
        `UPDATE deliveries SET status = 'dead', last_error = $2, attempts = $3, updated_at = now(), locked_until = NULL
         WHERE id = $1`,
        [id, error.slice(0, 1000), attempts],
      );
    },

    /** A dead row goes back in the queue with fresh attempts; anything else is left alone. */
    async requeueDead(id: string): Promise<DeliveryRow | undefined> {
      const { rows } = await db.query<DeliveryRow>(
        `UPDATE deliveries SET status = 'queued', attempts = 0, next_attempt_at = now(), last_error = NULL,
           updated_at = now(), locked_until = NULL
         WHERE id = $1 AND status = 'dead' AND channel <> 'none' RETURNING ${COLUMNS}`,
        [id],
      );
      return rows[0];
    },

    async find(id: string): Promise<DeliveryRow | undefined> {
      const { rows } = await db.query<DeliveryRow>(`SELECT ${COLUMNS} FROM deliveries WHERE id = $1`, [id]);
      return rows[0];
    },

    /** Newest first; `before` is the last id of the previous page. */
    async list(filter: DeliveryFilter, limit: number, before?: string): Promise<DeliveryRow[]> {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, value: unknown) => {
        params.push(value);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (filter.status) add('status = ?', filter.status);
      if (filter.channel) add('channel = ?', filter.channel);
      if (filter.type) add('notification_type = ?', filter.type);
      if (filter.userId !== undefined) add('user_id = ?', filter.userId);
      if (filter.eventId) add('event_id = ?', filter.eventId);
      // Order events carry `order_id` at their top level (indexed by migration 002).
      if (filter.orderId !== undefined) add("(event ->> 'order_id') = ?", String(filter.orderId));
      if (before) add('id < ?', before);
      params.push(limit);
      const { rows } = await db.query<DeliveryRow>(
        `SELECT ${COLUMNS} FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY id DESC LIMIT $${params.length}`,
        params,
      );
      return rows;
    },
  };
}

export type DeliveryRepository = ReturnType<typeof createDeliveryRepository>;

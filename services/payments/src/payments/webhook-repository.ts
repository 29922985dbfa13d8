import type { Queryable } from '@emporium/kit';

/** The Stripe events already handled, by their event id. */
export function createWebhookRepository(db: Queryable) {
  return {
    async isHandled(eventId: string): Promise<boolean> {
      const { rowCount } = await db.query('SELECT 1 FROM stripe_events WHERE event_id = $1', [eventId]);
      return (rowCount ?? 0) > 0;
    },

    async markHandled(eventId: string, type: string): Promise<void> {
      await db.query('INSERT INTO stripe_events (event_id, type) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        eventId,
        type,
      ]);
    },
  };
}

export type WebhookRepository = ReturnType<typeof createWebhookRepository>;

import { randomUUID } from 'node:crypto';
import { DomainError, type Identity, withTransaction, type Pool } from '@emporium/kit';
import { parseAnyEvent } from '@emporium/events';
import type { NoticeHandler } from '../notices/notice-handler.ts';
import type { NoticeType } from '../notices/notice.ts';
import type { Renderer } from '../templates/template-renderer.ts';
import type { DeliveryFilter, DeliveryRepository, DeliveryRow } from './delivery-repository.ts';
import type { SendBody } from './delivery-schemas.ts';

// Messages that hold a secret (a reset link) never leave through the API, even to their owner: a stolen
// access token must not become a password.
const SECRET_TYPES = new Set(['password_reset']);
const bodyOf = (row: DeliveryRow) => (SECRET_TYPES.has(row.notification_type) ? null : row.body_text);

export const toDelivery = (row: DeliveryRow) => ({
  id: row.id,
  event_id: row.event_id,
  source_topic: row.source_topic,
  notification_type: row.notification_type,
  channel: row.channel,
  recipient: row.recipient,
  user_id: row.user_id,
  subject: row.subject,
  body_text: bodyOf(row),
  status: row.status,
  attempts: row.attempts,
  next_attempt_at: row.next_attempt_at.toISOString(),
  provider_message_id: row.provider_message_id,
  last_error: row.last_error,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
  sent_at: row.sent_at?.toISOString() ?? null,
});

const toMessage = (row: DeliveryRow) => ({
  id: row.id,
  type: row.notification_type,
  channel: row.channel,
  to: row.recipient,
  subject: row.subject,
  body: bodyOf(row),
  status: row.status,
  created_at: row.created_at.toISOString(),
  sent_at: row.sent_at?.toISOString() ?? null,
});

const RECIPIENT: Record<SendBody['channel'], RegExp> = {
  email: /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/,
  sms: /^\+[1-9][0-9]{6,14}$/,
  push: /^[A-Za-z0-9_:.-]{10,4096}$/,
};

const notFound = () => new DomainError('delivery_not_found', 'not_found', 'No such delivery.');

async function page<T>(rows: DeliveryRow[], limit: number, map: (r: DeliveryRow) => T) {
  return { items: rows.slice(0, limit).map(map), next_cursor: rows.length > limit ? rows[limit - 1]!.id : null };
}

export function createDeliveryService(deps: {
  pool: Pool;
  repo: DeliveryRepository;
  renderer: Renderer;
  handler: NoticeHandler;
  currency: string;
  wake: () => void;
}) {
  const { repo } = deps;
  return {
    async listOwn(identity: Identity, limit: number, cursor?: string) {
      return page(await repo.list({ userId: identity.userId }, limit + 1, cursor), limit, toMessage);
    },

    async list(filter: DeliveryFilter, limit: number, cursor?: string) {
      return page(await repo.list(filter, limit + 1, cursor), limit, toDelivery);
    },

    async get(id: string) {
      const row = await repo.find(id);
      if (!row) throw notFound();
      return toDelivery(row);
    },

    /**
     * A dead message is queued again with fresh attempts. A dead event (no message could be made, e.g. the
     * user was missing) is planned again from the stored event; one that still cannot be delivered is a 409.
     */
    async retry(id: string) {
      const row = await repo.find(id);
      if (!row) throw notFound();
      if (row.status !== 'dead') {
        throw new DomainError(
          'not_dead',
          'conflict',
          `Only a dead delivery can be retried; this one is ${row.status}.`,
        );
      }
      if (row.channel !== 'none') {
        const requeued = await repo.requeueDead(id);
        if (!requeued) throw new DomainError('not_dead', 'conflict', 'The delivery is no longer dead.');
        deps.wake();
        return toDelivery(requeued);
      }
      let event;
      try {
        event = parseAnyEvent(row.event);
      } catch (err) {
        throw new DomainError('not_retryable', 'conflict', `The event breaks its contract: ${(err as Error).message}`);
      }
      const rows = await deps.handler.toRows(event, row.source_topic);
      if (rows.length === 0 || rows.some((r) => r.status === 'dead')) {
        throw new DomainError('still_undeliverable', 'conflict', rows[0]?.lastError ?? 'The event yields no message.');
      }
      await withTransaction(deps.pool, async (tx) => {
        await repo.insert(rows, tx);
        await tx.query(
          `UPDATE deliveries SET status = 'skipped', last_error = 'retried: see its messages', updated_at = now() WHERE id = $1`,
          [id],
        );
      });
      deps.wake();
      return toDelivery((await repo.find(id))!);
    },

    /** An admin's message to an address: rendered now from a template (or the plain `message` one), sent by the dispatcher. */
    async send(identity: Identity, body: SendBody) {
      if (!RECIPIENT[body.channel].test(body.to)) {
        throw new DomainError('invalid_recipient', 'validation', `"to" is not a valid ${body.channel} recipient.`, {
          fields: [
            {
              field: 'to',
              message: `must be ${body.channel === 'email' ? 'an email address' : body.channel === 'sms' ? 'a phone number in E.164 form (+441234567890)' : 'a device token'}`,
            },
          ],
        });
      }
      if (!body.template && !body.body) {
        throw new DomainError('template_or_body_required', 'validation', 'Send a template (with its data) or a body.', {
          fields: [{ field: 'body', message: 'give a template or a body' }],
        });
      }
      const type: NoticeType = body.template ?? 'message';
      const data = body.template
        ? { ...body.data, currency: deps.currency }
        : { subject: body.subject ?? 'A message from Emporium', body: body.body, customer: { name: '' } };
      let rendered;
      try {
        rendered = deps.renderer.render(type, body.channel, data);
      } catch (err) {
        throw new DomainError(
          'template_data_incomplete',
          'validation',
          `The template could not be rendered: ${(err as Error).message}`,
          {
            fields: [{ field: 'data', message: 'misses what the template uses' }],
          },
        );
      }
      const eventId = randomUUID();
      await repo.insert([
        {
          eventId,
          sourceTopic: 'api',
          event: { requested_by: identity.userId, ...body },
          type,
          channel: body.channel,
          recipient: body.to,
          userId: null,
          subject: body.subject ?? rendered.subject,
          text: rendered.text,
          html: rendered.html,
        },
      ]);
      deps.wake();
      const [row] = await repo.list({ eventId }, 1);
      return toDelivery(row!);
    },
  };
}

export type DeliveryService = ReturnType<typeof createDeliveryService>;

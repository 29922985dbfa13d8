import { createHash } from 'node:crypto';
import type { PlatformEvent } from '@emporium/events';
import type { Queryable } from '@emporium/kit';
import type { ConsumedMeta, DeadLetter, EventProducer } from '@emporium/messaging';
import { deadLetterTopic } from '@emporium/events';
import type { DeliveryRepository, NewDelivery } from '../deliveries/delivery-repository.ts';
import { RecipientGoneError, type Recipient, type RecipientClient } from '../recipients/recipient-client.ts';
import type { Channel, Renderer } from '../templates/template-renderer.ts';
import { noticeFor, type Notice } from './notice.ts';

/** The messages a notice becomes for one recipient: a channel each, as the customer chose (one per device). */
export function planDeliveries(
  notice: Notice,
  recipient: Recipient,
  renderer: Renderer,
  context: { currency: string },
): Array<{ channel: Channel; to: string; rendered: ReturnType<Renderer['render']> }> {
  const prefs = recipient.preferences;
  const targets: Array<{ channel: Channel; to: string }> = [];
  if (recipient.email && (notice.essential || prefs.email)) targets.push({ channel: 'email', to: recipient.email });
  if (!notice.essential && prefs.sms && recipient.phone) targets.push({ channel: 'sms', to: recipient.phone });
  if (!notice.essential && prefs.push) {
    for (const t of recipient.push_tokens) targets.push({ channel: 'push', to: t.token });
  }
  const data = { ...notice.data, currency: context.currency, customer: { name: recipient.name } };
  return targets.map((t) => ({ ...t, rendered: renderer.render(notice.type, t.channel, data) }));
}

/** A stable id for a message that has none we can read (it broke its contract), so it is recorded once. */
const syntheticEventId = (dead: Pick<DeadLetter, 'topic' | 'partition' | 'offset'>) => {
  const h = createHash('sha256').update(`${dead.topic}/${dead.partition}/${dead.offset}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * Turns an event into delivery rows, inside the consumer's de-duplication transaction, so the rows and
 * the "handled" mark commit together. Sending happens later (the dispatcher), so a slow or broken
 * provider never holds up the partition. An event about a user who does not exist cannot ever be
 * delivered: it gets a `dead` row and goes to the dead-letter topic at once, and the consumer moves on.
 */
export function createNoticeHandler(deps: {
  repo: DeliveryRepository;
  recipients: RecipientClient;
  renderer: Renderer;
  deadLetters: Pick<EventProducer, 'publishRaw'>;
  storefrontUrl: string;
  currency: string;
}) {
  async function toRows(event: PlatformEvent, topic: string): Promise<NewDelivery[]> {
    const notice = noticeFor(event, { storefrontUrl: deps.storefrontUrl });
    if (!notice) return [];
    const base = { eventId: event.event_id, sourceTopic: topic, event, type: notice.type, userId: notice.userId };
    try {
      const recipient = await deps.recipients.get(notice.userId);
      return planDeliveries(notice, recipient, deps.renderer, { currency: deps.currency }).map((p) => ({
        ...base,
        channel: p.channel,
        recipient: p.to,
        subject: p.rendered.subject,
        text: p.rendered.text,
        html: p.rendered.html,
      }));
    } catch (err) {
      if (!(err instanceof RecipientGoneError)) throw err;
      const dead = {
        channel: 'none' as const,
        recipient: `user:${notice.userId}`,
        subject: null,
        text: null,
        html: null,
      };
      return [{ ...base, ...dead, status: 'dead', lastError: err.message }];
    }
  }

  return {
    toRows,
    /** Events no notice is made of (an order placed, a payment failing before the cancellation) need no mark. */
    wants: (event: PlatformEvent) => noticeFor(event, { storefrontUrl: deps.storefrontUrl }) !== undefined,
    async handle(event: PlatformEvent, meta: ConsumedMeta, tx?: Queryable): Promise<void> {
      const rows = await toRows(event, meta.topic);
      await deps.repo.insert(rows, tx);
      const dead = rows.find((r) => r.status === 'dead');
      if (dead) {
        await deps.deadLetters.publishRaw(deadLetterTopic(meta.topic), String(event.user_id), JSON.stringify(event), {
          'x-dead-letter-reason': dead.lastError ?? 'undeliverable',
          'x-original-topic': meta.topic,
          'x-original-partition': String(meta.partition),
          'x-original-offset': String(meta.offset),
        });
      }
    },
    /** What the consumer parked (broken contract, or failing after its retries) also shows in the delivery log. */
    async recordDeadLetter(dead: DeadLetter): Promise<void> {
      let parsed: { event_id?: unknown; user_id?: unknown } | undefined;
      try {
        parsed = JSON.parse(dead.value) as typeof parsed;
      } catch {
        parsed = undefined;
      }
      const eventId =
        typeof parsed?.event_id === 'string' && /^[0-9a-f-]{36}$/i.test(parsed.event_id)
          ? parsed.event_id
          : syntheticEventId(dead);
      const userId = typeof parsed?.user_id === 'number' && Number.isInteger(parsed.user_id) ? parsed.user_id : null;
      await deps.repo.insert([
        {
          eventId,
          sourceTopic: dead.topic,
          event: parsed && typeof parsed === 'object' ? parsed : { raw: dead.value.slice(0, 10_000) },
          type: 'unknown',
          channel: 'none',
          recipient: userId ? `user:${userId}` : '',
          userId,
          subject: null,
          text: null,
          html: null,
          status: 'dead',
          lastError: dead.reason,
        },
      ]);
    },
  };
}

export type NoticeHandler = ReturnType<typeof createNoticeHandler>;

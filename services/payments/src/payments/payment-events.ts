import { randomUUID } from 'node:crypto';
import { TOPICS, type OrderEvent } from '@emporium/events';
import type { OutgoingEvent } from '@emporium/messaging';
import { fromCents, toCents, type PaymentRow } from './payment.ts';

type PaymentEventType = 'payment_succeeded' | 'payment_failed' | 'payment_refunded';

/** A payment event for the orders topic, keyed by order_id, with the order facts the order service handed over. */
export function paymentEvent(type: PaymentEventType, row: PaymentRow, refund?: { cents: number }): OutgoingEvent {
  const o = row.order_snapshot;
  const common = {
    event_id: randomUUID(),
    event_version: 1,
    order_id: row.order_id,
    user_id: row.user_id,
    total_amount: o.total_amount,
    status: row.status,
    items: o.items,
    region: o.region,
    timestamp: new Date().toISOString(),
    payment_id: row.id,
    amount: fromCents(toCents(row.amount)),
    payment_method: row.payment_method ?? 'unknown',
    provider: row.provider,
    transaction_id: row.transaction_id,
  };
  const event =
    type === 'payment_failed'
      ? { ...common, event_type: type, failure_code: row.failure_code ?? 'unknown' }
      : type === 'payment_refunded'
        ? {
            ...common,
            event_type: type,
            refund_amount: fromCents(refund!.cents),
            refunded_amount: fromCents(toCents(row.refunded_amount)),
            fully_refunded: row.status === 'refunded',
          }
        : { ...common, event_type: type };
  return { topic: TOPICS.orders.name, key: String(row.order_id), event: event as OrderEvent };
}

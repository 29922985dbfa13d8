import { randomUUID } from 'node:crypto';
import { TOPICS, type OrderEvent } from '@emporium/events';
import type { OutgoingEvent } from '@emporium/messaging';
import { toCents, type OrderItem, type OrderRow, type OrderStatus } from './order.ts';

/** An order event for the `orders` topic, keyed by order_id; `region` is the shipping country. */
export function orderEvent(
  type: 'order_created' | 'order_status_changed' | 'order_cancelled',
  row: Pick<OrderRow, 'id' | 'user_id' | 'status' | 'shipping_address' | 'cancel_reason'> & {
    total_amount: string | number;
  },
  items: OrderItem[],
  previous?: OrderStatus,
): OutgoingEvent {
  const event = {
    event_id: randomUUID(),
    event_type: type,
    event_version: 1,
    order_id: row.id,
    user_id: row.user_id,
    total_amount: toCents(row.total_amount) / 100,
    status: row.status,
    items: items.map((i) => ({ ...i, price: toCents(i.price) / 100 })),
    region: row.shipping_address.country,
    timestamp: new Date().toISOString(),
    ...(previous ? { previous_status: previous } : {}),
    ...(type === 'order_cancelled' ? { cancel_reason: row.cancel_reason ?? 'cancelled' } : {}),
  };
  return { topic: TOPICS.orders.name, key: String(row.id), event: event as OrderEvent };
}

import { randomUUID } from 'node:crypto';
import type {
  OrderCreatedV1,
  OrderEvent,
  OrderStatusChangedV1,
  PaymentFailedV1,
  PaymentRefundedV1,
  PaymentSucceededV1,
} from '@emporium/events';

type Item = OrderCreatedV1['items'][number];

export const item = (product_id: number, quantity: number, price: number): Item => ({
  product_id,
  product_name: `Product ${product_id}`,
  category: 'Books',
  quantity,
  price,
});

const total = (items: Item[]) => Math.round(items.reduce((s, i) => s + i.quantity * i.price * 100, 0)) / 100;

const base = (order_id: number, timestamp: string, region: string, items: Item[]) => ({
  event_id: randomUUID(),
  event_version: 1 as const,
  order_id,
  user_id: 7,
  total_amount: total(items),
  items,
  region,
  timestamp,
});

const payment = (order_id: number, items: Item[]) => ({
  payment_id: order_id,
  amount: total(items),
  payment_method: 'pm_card_visa',
  provider: 'simulated' as const,
  transaction_id: `sim_${order_id}`,
});

export function created(order: number, at: string, region: string, items: Item[]): OrderCreatedV1 {
  return { ...base(order, at, region, items), event_type: 'order_created', status: 'pending' };
}

export function paid(order: number, at: string, region: string, items: Item[]): PaymentSucceededV1 {
  return {
    ...base(order, at, region, items),
    ...payment(order, items),
    event_type: 'payment_succeeded',
    status: 'succeeded',
  };
}

export function declined(order: number, at: string, region: string, items: Item[]): PaymentFailedV1 {
  return {
    ...base(order, at, region, items),
    ...payment(order, items),
    transaction_id: null,
    event_type: 'payment_failed',
    status: 'failed',
    failure_code: 'card_declined',
  };
}

export function refunded(order: number, at: string, region: string, items: Item[], amount: number): PaymentRefundedV1 {
  return {
    ...base(order, at, region, items),
    ...payment(order, items),
    event_type: 'payment_refunded',
    status: 'refunded',
    refund_amount: amount,
    refunded_amount: amount,
    fully_refunded: amount === total(items),
  };
}

/** An event that counts for nothing, sent to every partition to move the watermark past a window. */
export function shipped(order: number, at: string): OrderStatusChangedV1 {
  return {
    ...base(order, at, 'GB', [item(1, 1, 1)]),
    event_type: 'order_status_changed',
    status: 'shipped',
    previous_status: 'processing',
  };
}

export const onPartition = (events: OrderEvent[]) => events.map((event) => ({ event, partition: event.order_id % 3 }));

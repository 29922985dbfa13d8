import type { Static } from 'typebox';
import { eventSchema, OrderStatus } from '../envelope.ts';

/** An order moved along its flow (processing → shipped → delivered). Key: order_id. */
export const OrderStatusChangedV1 = eventSchema('order_status_changed', 1, { previous_status: OrderStatus });
export type OrderStatusChangedV1 = Static<typeof OrderStatusChangedV1>;

export const orderStatusChangedV1Example: OrderStatusChangedV1 = {
  event_id: '7d1e3c52-2f0a-4b6e-8d7c-5a4b3c2d1e0f',
  event_type: 'order_status_changed',
  event_version: 1,
  order_id: 123,
  user_id: 456,
  total_amount: 99.99,
  status: 'shipped',
  previous_status: 'processing',
  items: [
    {
      product_id: 42,
      product_name: 'Ceramic Salt & Pepper Mill',
      category: 'Home & Kitchen',
      quantity: 1,
      price: 99.99,
    },
  ],
  region: 'GB',
  timestamp: '2025-11-24T08:00:00.000Z',
};

import type { Static } from 'typebox';
import { eventSchema } from '../envelope.ts';

/** An order was recorded (stock reserved, payment not yet taken). Key: order_id. */
export const OrderCreatedV1 = eventSchema('order_created', 1, {});
export type OrderCreatedV1 = Static<typeof OrderCreatedV1>;

export const orderCreatedV1Example: OrderCreatedV1 = {
  event_id: '0b6f1f3e-6c1d-4a8e-9a3f-1d2c3b4a5e6f',
  event_type: 'order_created',
  event_version: 1,
  order_id: 123,
  user_id: 456,
  total_amount: 99.99,
  status: 'pending',
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
  timestamp: '2025-11-23T10:30:00.000Z',
};

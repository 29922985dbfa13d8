import { Type, type Static } from 'typebox';
import { eventSchema } from '../envelope.ts';

/** An order was cancelled (declined payment, customer or admin); its stock was released. Key: order_id. */
export const OrderCancelledV1 = eventSchema('order_cancelled', 1, {
  cancel_reason: Type.String({ minLength: 1, maxLength: 200 }),
  previous_status: Type.Union([Type.Literal('pending'), Type.Literal('processing')]),
});
export type OrderCancelledV1 = Static<typeof OrderCancelledV1>;

export const orderCancelledV1Example: OrderCancelledV1 = {
  event_id: '3a9c8b7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d',
  event_type: 'order_cancelled',
  event_version: 1,
  order_id: 124,
  user_id: 456,
  total_amount: 25.5,
  status: 'cancelled',
  previous_status: 'pending',
  cancel_reason: 'payment_declined',
  items: [{ product_id: 7, product_name: 'Oak Desk Organiser', category: 'Office', quantity: 2, price: 12.75 }],
  region: 'DE',
  timestamp: '2025-11-23T10:31:00.000Z',
};

import { Type, type Static } from 'typebox';
import { eventSchema } from '../envelope.ts';
import { paymentFields } from './payment-fields.ts';

/** The payment for an order was declined or failed. Key: order_id. */
export const PaymentFailedV1 = eventSchema('payment_failed', 1, {
  ...paymentFields,
  failure_code: Type.String({ minLength: 1, maxLength: 100 }),
});
export type PaymentFailedV1 = Static<typeof PaymentFailedV1>;

export const paymentFailedV1Example: PaymentFailedV1 = {
  event_id: 'd4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70',
  event_type: 'payment_failed',
  event_version: 1,
  order_id: 124,
  user_id: 456,
  total_amount: 25.5,
  status: 'failed',
  items: [{ product_id: 7, product_name: 'Oak Desk Organiser', category: 'Office', quantity: 2, price: 12.75 }],
  region: 'DE',
  timestamp: '2025-11-23T10:30:59.000Z',
  payment_id: 10,
  amount: 25.5,
  payment_method: 'pm_card_chargeDeclined',
  provider: 'simulated',
  transaction_id: null,
  failure_code: 'card_declined',
};

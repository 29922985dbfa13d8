import type { Static } from 'typebox';
import { eventSchema } from '../envelope.ts';
import { paymentFields } from './payment-fields.ts';

/** The payment for an order was taken. Key: order_id. */
export const PaymentSucceededV1 = eventSchema('payment_succeeded', 1, paymentFields);
export type PaymentSucceededV1 = Static<typeof PaymentSucceededV1>;

export const paymentSucceededV1Example: PaymentSucceededV1 = {
  event_id: 'c2b1a0f9-e8d7-4c6b-a5f4-e3d2c1b0a9f8',
  event_type: 'payment_succeeded',
  event_version: 1,
  order_id: 123,
  user_id: 456,
  total_amount: 99.99,
  status: 'succeeded',
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
  timestamp: '2025-11-23T10:30:01.000Z',
  payment_id: 9,
  amount: 99.99,
  payment_method: 'pm_card_visa',
  provider: 'simulated',
  transaction_id: 'sim_ch_3f2e1d0c',
};

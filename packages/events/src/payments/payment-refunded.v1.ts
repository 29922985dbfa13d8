import { Type, type Static } from 'typebox';
import { eventSchema, Money } from '../envelope.ts';
import { paymentFields } from './payment-fields.ts';

/** Money went back to the customer, all of it or part. Key: order_id. */
export const PaymentRefundedV1 = eventSchema('payment_refunded', 1, {
  ...paymentFields,
  refund_amount: Money,
  refunded_amount: Money,
  fully_refunded: Type.Boolean(),
});
export type PaymentRefundedV1 = Static<typeof PaymentRefundedV1>;

export const paymentRefundedV1Example: PaymentRefundedV1 = {
  event_id: 'e5f6a7b8-c9d0-4e1f-9a2b-3c4d5e6f7a81',
  event_type: 'payment_refunded',
  event_version: 1,
  order_id: 123,
  user_id: 456,
  total_amount: 99.99,
  status: 'refunded',
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
  timestamp: '2025-11-23T11:00:00.000Z',
  payment_id: 9,
  amount: 99.99,
  payment_method: 'pm_card_visa',
  provider: 'simulated',
  transaction_id: 'sim_ch_3f2e1d0c',
  refund_amount: 99.99,
  refunded_amount: 99.99,
  fully_refunded: true,
};

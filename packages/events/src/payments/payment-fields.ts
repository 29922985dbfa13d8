import { Type } from 'typebox';
import { Money } from '../envelope.ts';

export const PaymentStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  Type.Literal('refunded'),
  Type.Literal('partially_refunded'),
]);

// Payment events ride on the orders topic (keyed by order_id) with the order's fields plus these;
// their `status` is the payment's status (the payment service does not own the order's).
export const paymentFields = {
  status: PaymentStatus,
  payment_id: Type.Integer({ minimum: 1 }),
  amount: Money,
  payment_method: Type.String({ minLength: 1, maxLength: 50 }),
  provider: Type.Union([Type.Literal('simulated'), Type.Literal('stripe')]),
  transaction_id: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()]),
};

import { Type } from 'typebox';
import { Money } from '../envelope.ts';

// Payment events ride on the orders topic (keyed by order_id) with the order's fields plus these.
export const paymentFields = {
  payment_id: Type.Integer({ minimum: 1 }),
  amount: Money,
  payment_method: Type.String({ minLength: 1, maxLength: 50 }),
  provider: Type.Union([Type.Literal('simulated'), Type.Literal('stripe')]),
  transaction_id: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()]),
};

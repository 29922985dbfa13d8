import { totalCents } from '../../orders/order.ts';
import { retryOf, type SagaStep, type StepContext } from '../saga.ts';

const chargeOf = ({ order, items }: StepContext) => ({
  order_id: order.id,
  amount: totalCents(items) / 100,
  payment_method: order.payment_method,
  order: {
    user_id: order.user_id,
    total_amount: totalCents(items) / 100,
    region: order.shipping_address.country,
    items,
  },
});

/** One payment per order at the payment service, so running this again never charges twice. */
export const takePayment: SagaStep = {
  name: 'take_payment',
  async run(ctx) {
    try {
      const outcome = await ctx.payments.process(chargeOf(ctx));
      if (outcome.status === 'succeeded') return { kind: 'next', paymentId: String(outcome.paymentId) };
      // Declined: nothing was charged, so only the earlier steps are undone.
      if (outcome.status === 'declined') return { kind: 'cancel', reason: 'payment_declined', undoSelf: false };
      return { kind: 'retry', error: 'the payment outcome is not known yet' };
    } catch (err) {
      return retryOf(err);
    }
  },
  // Voids the order's payment: refunded if it was charged, and no charge can happen for it afterwards.
  async compensate(ctx) {
    try {
      const outcome = await ctx.payments.voidOrder(chargeOf(ctx));
      return outcome === 'pending' ? { kind: 'retry', error: 'the payment is still being decided' } : { kind: 'done' };
    } catch (err) {
      return retryOf(err);
    }
  },
};

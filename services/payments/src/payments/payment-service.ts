import { assertSelfOrAdmin, DomainError, withTransaction, type Identity, type Pool } from '@emporium/kit';
import { enqueueEvent } from '@emporium/messaging';
import { ProviderUnavailableError, type ChargeOutcome, type ChargeRequest, type PaymentProvider } from '../providers/provider.ts';
import { paymentEvent } from './payment-events.ts';
import type { PaymentRepository } from './payment-repository.ts';
import { assertAmount, refundPlan, toCents, toPayment, type OrderSnapshot, type Payment, type PaymentRow } from './payment.ts';

interface Deps {
  pool: Pool;
  payments: PaymentRepository;
  provider: PaymentProvider;
  currency: string;
}

export interface ProcessInput {
  order_id: number;
  amount: number;
  payment_method: string;
  order: OrderSnapshot;
}

const notFound = () => new DomainError('payment_not_found', 'not_found', 'No such payment.');

export function createPaymentService({ pool, payments, provider, currency }: Deps) {
  const chargeOf = (row: PaymentRow): ChargeRequest => ({
    // One key per order: whatever happens, the provider charges an order at most once.
    idempotencyKey: `emporium-order-${row.order_id}`,
    amountCents: toCents(row.amount),
    currency: row.currency,
    paymentMethod: row.payment_method!,
    orderId: row.order_id,
  });

  /** Gets the provider's answer for a pending payment, asking first so an unknown outcome is never charged twice. */
  async function settle(row: PaymentRow, askFirst: boolean): Promise<PaymentRow> {
    let outcome: ChargeOutcome | undefined;
    try {
      if (askFirst) outcome = await provider.find(chargeOf(row));
      outcome ??= await provider.charge(chargeOf(row));
    } catch (err) {
      if (!(err instanceof ProviderUnavailableError)) throw err;
      throw new DomainError('payment_outcome_unknown', 'unavailable', 'The payment provider did not answer; the payment will be settled by asking it again.', { extra: { payment_id: row.id }, retryAfterSeconds: 2, cause: err });
    }
    const answer = outcome.status === 'succeeded'
      ? { status: 'succeeded' as const, transactionId: outcome.transactionId, failureCode: null }
      : { status: 'failed' as const, transactionId: null, failureCode: outcome.failureCode };
    const event = paymentEvent(answer.status === 'succeeded' ? 'payment_succeeded' : 'payment_failed', { ...row, status: answer.status, transaction_id: answer.transactionId, failure_code: answer.failureCode });
    // Undefined when someone else recorded the answer first: theirs stands, and so does their event.
    return (await payments.settle(row.id, answer, event)) ?? (await payments.findById(row.id))!;
  }

  function answer(row: PaymentRow): Payment {
    if (row.status === 'failed') {
      throw new DomainError('payment_declined', 'payment_required', `The payment was declined (${row.failure_code}).`, { extra: { payment_id: row.id, order_id: row.order_id, failure_code: row.failure_code } });
    }
    return toPayment(row);
  }

  return {
    /** At most one payment per order: a repeat returns the existing payment (settling it if it was left pending). */
    async process(input: ProcessInput): Promise<{ payment: Payment; created: boolean }> {
      const cents = assertAmount(input.amount);
      const fresh = await payments.insertPending({ orderId: input.order_id, userId: input.order.user_id, amountCents: cents, currency, paymentMethod: input.payment_method, provider: provider.name, order: input.order });
      if (fresh) return { payment: answer(await settle(fresh, false)), created: true };
      const existing = (await payments.findByOrder(input.order_id))!;
      if (toCents(existing.amount) !== cents) {
        throw new DomainError('payment_mismatch', 'conflict', 'This order already has a payment for a different amount.', { extra: { payment_id: existing.id } });
      }
      const row = existing.status === 'pending' ? await settle(existing, true) : existing;
      return { payment: answer(row), created: false };
    },

    async refund(paymentId: number, amount: number | undefined, idempotencyKey: string | undefined): Promise<Payment> {
      const requested = amount === undefined ? undefined : assertAmount(amount);
      return withTransaction(pool, async (tx) => {
        // The row lock serialises refunds of one payment: two can never both take the last euro.
        const row = await payments.findById(paymentId, tx, true);
        if (!row) throw notFound();
        const key = idempotencyKey ? `emporium-refund-${paymentId}-${idempotencyKey}` : `emporium-refund-${paymentId}-${toCents(row.refunded_amount)}-${requested ?? 'all'}`;
        if (await payments.findRefund(key, tx)) return toPayment(row);
        const plan = refundPlan(row, requested);
        let refundId: string;
        try {
          ({ refundId } = await provider.refund({ idempotencyKey: key, chargeKey: chargeOf(row).idempotencyKey, transactionId: row.transaction_id!, amountCents: plan.cents }));
        } catch (err) {
          if (!(err instanceof ProviderUnavailableError)) throw err;
          throw new DomainError('refund_outcome_unknown', 'unavailable', 'The payment provider did not answer; retry the refund (it will not be paid twice).', { retryAfterSeconds: 2, cause: err });
        }
        const updated = await payments.recordRefund({ paymentId, cents: plan.cents, idempotencyKey: key, providerRefundId: refundId, status: plan.status }, tx);
        await enqueueEvent(tx, paymentEvent('payment_refunded', updated, { cents: plan.cents }));
        return toPayment(updated);
      });
    },

    /** A provider told us (webhook) that a payment finished: settle it if we still think it is pending. */
    async settleFromProvider(orderId: number): Promise<void> {
      const row = await payments.findByOrder(orderId);
      // A failure answers the webhook with a 5xx (and is logged), so the provider delivers it again.
      if (row?.status === 'pending') await settle(row, true);
    },

    async get(identity: Identity | 'service', id: number): Promise<Payment> {
      const row = await payments.findById(id);
      if (!row) throw notFound();
      if (identity !== 'service') assertSelfOrAdmin(identity, row.user_id, 'payment');
      return toPayment(row);
    },

    async getByOrder(identity: Identity | 'service', orderId: number): Promise<Payment> {
      const row = await payments.findByOrder(orderId);
      if (!row) throw notFound();
      if (identity !== 'service') assertSelfOrAdmin(identity, row.user_id, 'payment');
      return toPayment(row);
    },
  };
}

export type PaymentService = ReturnType<typeof createPaymentService>;

import {
  assertSelfOrAdmin,
  DomainError,
  notFoundError,
  withTransaction,
  type Identity,
  type Pool,
} from '@emporium/kit';
import { enqueueEvent } from '@emporium/messaging';
import {
  ProviderUnavailableError,
  type ChargeOutcome,
  type ChargeRequest,
  type PaymentProvider,
} from '../providers/provider.ts';
import { paymentEvent } from './payment-events.ts';
import type { NewPayment, PaymentRepository } from './payment-repository.ts';
import {
  assertAmount,
  refundPlan,
  toCents,
  toPayment,
  type OrderSnapshot,
  type Payment,
  type PaymentRow,
} from './payment.ts';

interface Deps {
  pool: Pool;
  payments: PaymentRepository;
  provider: PaymentProvider;
  currency: string;
  /** A pending payment the provider has no record of is void only after this long (longer than any charge try). */
  voidGraceSeconds: number;
}

export interface ProcessInput {
  order_id: number;
  amount: number;
  payment_method: string;
  order: OrderSnapshot;
}

const notFound = () => notFoundError('payment');

export function createPaymentService({ pool, payments, provider, currency, voidGraceSeconds }: Deps) {
  const chargeOf = (row: PaymentRow): ChargeRequest => ({
    // One key per order: whatever happens, the provider charges an order at most once.
    idempotencyKey: `emporium-order-${row.order_id}`,
    amountCents: toCents(row.amount),
    currency: row.currency,
    paymentMethod: row.payment_method!,
    orderId: row.order_id,
  });

  /** Asks the provider; an unanswered call is an unknown outcome (503), settled later by asking again. */
  async function ask<T>(row: PaymentRow, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ProviderUnavailableError)) throw err;
      throw new DomainError(
        'payment_outcome_unknown',
        'unavailable',
        'The payment provider did not answer; the payment will be settled by asking it again.',
        { extra: { payment_id: row.id }, retryAfterSeconds: 2, cause: err },
      );
    }
  }

  /** Gets the provider's answer for a pending payment, asking first so an unknown outcome is never charged twice. */
  async function settle(row: PaymentRow, askFirst: boolean): Promise<PaymentRow> {
    const outcome =
      (askFirst ? await ask(row, () => provider.find(chargeOf(row))) : undefined) ??
      (await ask(row, () => provider.charge(chargeOf(row))));
    return record(row, outcome);
  }

  async function record(row: PaymentRow, outcome: ChargeOutcome): Promise<PaymentRow> {
    const answer =
      outcome.status === 'succeeded'
        ? { status: 'succeeded' as const, transactionId: outcome.transactionId, failureCode: null }
        : { status: 'failed' as const, transactionId: null, failureCode: outcome.failureCode };
    const event = paymentEvent(answer.status === 'succeeded' ? 'payment_succeeded' : 'payment_failed', {
      ...row,
      status: answer.status,
      transaction_id: answer.transactionId,
      failure_code: answer.failureCode,
    });
    // Undefined when someone else recorded the answer first: theirs stands, and so does their event.
    return (await payments.settle(row.id, answer, event)) ?? (await payments.findById(row.id))!;
  }

  function answer(row: PaymentRow): Payment {
    if (row.status === 'failed') {
      throw new DomainError('payment_declined', 'payment_required', `The payment was declined (${row.failure_code}).`, {
        extra: { payment_id: row.id, order_id: row.order_id, failure_code: row.failure_code },
      });
    }
    return toPayment(row);
  }

  const newPayment = (input: ProcessInput, cents: number): NewPayment => ({
    orderId: input.order_id,
    userId: input.order.user_id,
    amountCents: cents,
    currency,
    paymentMethod: input.payment_method,
    provider: provider.name,
    order: input.order,
  });

  const service = {
    /** At most one payment per order: a repeat returns the existing payment (settling it if it was left pending). */
    async process(input: ProcessInput): Promise<{ payment: Payment; created: boolean }> {
      const cents = assertAmount(input.amount);
      const fresh = await payments.insertFirst(newPayment(input, cents));
      if (fresh) return { payment: answer(await settle(fresh, false)), created: true };
      const existing = (await payments.findByOrder(input.order_id))!;
      if (toCents(existing.amount) !== cents) {
        throw new DomainError(
          'payment_mismatch',
          'conflict',
          'This order already has a payment for a different amount.',
          { extra: { payment_id: existing.id } },
        );
      }
      const row = existing.status === 'pending' ? await settle(existing, true) : existing;
      return { payment: answer(row), created: false };
    },

    /**
     * Undoes an order's payment, whatever happened to it: blocked if none was made (a later charge for the
     * order is refused as declined), refunded in full if it was charged, left alone if it failed. Never charges.
     */
    async voidOrder(input: ProcessInput): Promise<Payment> {
      const blocked = await payments.insertFirst(newPayment(input, assertAmount(input.amount)), 'voided');
      if (blocked) return toPayment(blocked);
      let row = (await payments.findByOrder(input.order_id))!;
      if (row.status === 'pending') {
        const outcome = await ask(row, () => provider.find(chargeOf(row)));
        if (outcome) row = await record(row, outcome);
        else row = (await payments.voidAbandoned(row.id, voidGraceSeconds)) ?? (await payments.findById(row.id))!;
        if (row.status === 'pending') {
          throw new DomainError(
            'payment_outcome_unknown',
            'unavailable',
            'A charge for this order may still be in flight; retry the void shortly.',
            { extra: { payment_id: row.id }, retryAfterSeconds: 5 },
          );
        }
      }
      if (row.status === 'succeeded' || row.status === 'partially_refunded')
        return service.refund(row.id, undefined, `void-order-${row.order_id}`);
      return toPayment(row);
    },

    async refund(paymentId: number, amount: number | undefined, idempotencyKey: string | undefined): Promise<Payment> {
      const requested = amount === undefined ? undefined : assertAmount(amount);
      return withTransaction(pool, async (tx) => {
        // The row lock serialises refunds of one payment: two can never both take the last euro.
        const row = await payments.findById(paymentId, tx, true);
        if (!row) throw notFound();
        const key = idempotencyKey
          ? `emporium-refund-${paymentId}-${idempotencyKey}`
          : `emporium-refund-${paymentId}-${toCents(row.refunded_amount)}-${requested ?? 'all'}`;
        if (await payments.findRefund(key, tx)) return toPayment(row);
        const plan = refundPlan(row, requested);
        let refundId: string;
        try {
          ({ refundId } = await provider.refund({
            idempotencyKey: key,
            chargeKey: chargeOf(row).idempotencyKey,
            transactionId: row.transaction_id!,
            amountCents: plan.cents,
          }));
        } catch (err) {
          if (!(err instanceof ProviderUnavailableError)) throw err;
          throw new DomainError(
            'refund_outcome_unknown',
            'unavailable',
            'The payment provider did not answer; retry the refund (it will not be paid twice).',
            { retryAfterSeconds: 2, cause: err },
          );
        }
        const updated = await payments.recordRefund(
          { paymentId, cents: plan.cents, idempotencyKey: key, providerRefundId: refundId, status: plan.status },
          tx,
        );
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
  return service;
}

export type PaymentService = ReturnType<typeof createPaymentService>;

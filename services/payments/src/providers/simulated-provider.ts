import { randomBytes } from 'node:crypto';
import type { Pool } from '@emporium/kit';
import {
  ProviderUnavailableError,
  type ChargeOutcome,
  type ChargeRequest,
  type PaymentProvider,
  type RefundRequest,
} from './provider.ts';

// Stripe's test payment methods and what they do; anything else is refused like an unusable card.
const DECLINES: Record<string, string> = {
  pm_card_chargeDeclined: 'card_declined',
  pm_card_visa_chargeDeclinedInsufficientFunds: 'insufficient_funds',
  pm_card_visa_chargeDeclinedExpiredCard: 'expired_card',
  pm_card_chargeDeclinedProcessingError: 'processing_error',
};
const SUCCEEDS = new Set(['pm_card_visa', 'pm_card_mastercard', 'pm_card_amex', 'pm_card_visa_debit']);

export interface SimulatedFaults {
  /** Records the charge, then acts as if the answer was lost in the network (for tests). */
  loseAnswer?: (request: ChargeRequest) => boolean;
}

/** A provider with a real ledger in our database: idempotent per key, like Stripe, and it survives restarts. */
export function createSimulatedProvider(pool: Pool, faults: SimulatedFaults = {}): PaymentProvider {
  const outcomeOf = (row: {
    status: string;
    transaction_id: string | null;
    failure_code: string | null;
  }): ChargeOutcome =>
    row.status === 'succeeded'
      ? { status: 'succeeded', transactionId: row.transaction_id! }
      : { status: 'declined', failureCode: row.failure_code! };

  const recorded = async (key: string) =>
    (
      await pool.query(
        'SELECT status, transaction_id, failure_code FROM simulated_charges WHERE idempotency_key = $1',
        [key],
      )
    ).rows[0];

  return {
    name: 'simulated',
    async charge(request) {
      const failureCode = SUCCEEDS.has(request.paymentMethod)
        ? null
        : (DECLINES[request.paymentMethod] ?? 'invalid_payment_method');
      const transactionId = failureCode ? null : `sim_ch_${randomBytes(12).toString('hex')}`;
      // Recorded once per key; a repeat reads what the first attempt recorded (one round trip either way).
      const { rows } = await pool.query(
        `WITH ins AS (
           INSERT INTO simulated_charges (idempotency_key, amount_cents, payment_method, status, transaction_id, failure_code)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (idempotency_key) DO NOTHING RETURNING status, transaction_id, failure_code)
         SELECT * FROM ins UNION ALL SELECT status, transaction_id, failure_code FROM simulated_charges WHERE idempotency_key = $1 LIMIT 1`,
        [
          request.idempotencyKey,
          request.amountCents,
          request.paymentMethod,
          failureCode ? 'declined' : 'succeeded',
          transactionId,
          failureCode,
        ],
      );
      if (faults.loseAnswer?.(request)) throw new ProviderUnavailableError('simulated: the answer was lost');
      // Empty only when a concurrent first attempt committed after this statement's snapshot: read it now.
      return outcomeOf(rows[0] ?? (await recorded(request.idempotencyKey)));
    },
    async find(request) {
      const row = await recorded(request.idempotencyKey);
      return row ? outcomeOf(row) : undefined;
    },
    async refund(request: RefundRequest) {
      const refundId = `sim_re_${randomBytes(12).toString('hex')}`;
      const { rows } = await pool.query<{ refund_id: string }>(
        `WITH ins AS (
           INSERT INTO simulated_refunds (idempotency_key, charge_key, amount_cents, refund_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (idempotency_key) DO NOTHING RETURNING refund_id)
         SELECT refund_id FROM ins UNION ALL SELECT refund_id FROM simulated_refunds WHERE idempotency_key = $1 LIMIT 1`,
        [request.idempotencyKey, request.chargeKey, request.amountCents, refundId],
      );
      const first =
        rows[0] ??
        (
          await pool.query<{ refund_id: string }>(
            'SELECT refund_id FROM simulated_refunds WHERE idempotency_key = $1',
            [request.idempotencyKey],
          )
        ).rows[0]!;
      return { refundId: first.refund_id };
    },
  };
}

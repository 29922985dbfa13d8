import { DomainError } from '@emporium/kit';

export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'refunded' | 'partially_refunded';

export interface OrderSnapshot {
  user_id: number;
  total_amount: number;
  region: string;
  items: Array<{ product_id: number; product_name: string; category: string; quantity: number; price: number }>;
}

export interface PaymentRow {
  id: number;
  order_id: number;
  user_id: number;
  amount: string;
  currency: string;
  payment_method: string | null;
  provider: 'simulated' | 'stripe';
  transaction_id: string | null;
  status: PaymentStatus;
  refunded_amount: string;
  failure_code: string | null;
  order_snapshot: OrderSnapshot;
  created_at: Date;
  updated_at: Date;
}

export interface Payment {
  id: number;
  order_id: number;
  user_id: number;
  amount: number;
  payment_method: string | null;
  transaction_id: string | null;
  status: PaymentStatus;
  refunded_amount: number;
  failure_code: string | null;
  created_at: string;
  updated_at: string;
}

// Money is DECIMAL(10,2) in the database and integer cents in arithmetic.
export const toCents = (amount: string | number): number => Math.round(Number(amount) * 100);
export const fromCents = (cents: number): number => cents / 100;

export function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    order_id: row.order_id,
    user_id: row.user_id,
    amount: fromCents(toCents(row.amount)),
    payment_method: row.payment_method,
    transaction_id: row.transaction_id,
    status: row.status,
    refunded_amount: fromCents(toCents(row.refunded_amount)),
    failure_code: row.failure_code,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function assertAmount(amount: number, field = 'amount'): number {
  const cents = amount * 100;
  if (!(amount > 0) || Math.abs(cents - Math.round(cents)) > 1e-6) {
    throw new DomainError('validation_failed', 'validation', 'The amount must be positive with at most two decimals.', {
      fields: [{ field, message: 'must be positive with at most two decimals' }],
    });
  }
  return Math.round(cents);
}

/** How much of a payment can still be refunded, and the status after refunding `cents` more. */
export function refundPlan(
  row: PaymentRow,
  requestedCents: number | undefined,
): { cents: number; status: PaymentStatus } {
  if (row.status !== 'succeeded' && row.status !== 'partially_refunded') {
    throw new DomainError('payment_not_refundable', 'conflict', `A ${row.status} payment cannot be refunded.`);
  }
  const remaining = toCents(row.amount) - toCents(row.refunded_amount);
  const cents = requestedCents ?? remaining;
  if (cents > remaining) {
    throw new DomainError('refund_exceeds_remaining', 'conflict', `Only ${fromCents(remaining)} is left to refund.`, {
      extra: { remaining: fromCents(remaining) },
    });
  }
  return { cents, status: cents === remaining ? 'refunded' : 'partially_refunded' };
}

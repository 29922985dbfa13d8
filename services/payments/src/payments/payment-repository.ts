import type { Queryable } from '@emporium/kit';
import { outboxInsert, type OutgoingEvent } from '@emporium/messaging';
import type { OrderSnapshot, PaymentRow, PaymentStatus } from './payment.ts';

const COLUMNS =
  'id, order_id, user_id, amount, currency, payment_method, provider, transaction_id, status, refunded_amount, failure_code, order_snapshot, created_at, updated_at';

export interface NewPayment {
  orderId: number;
  userId: number;
  amountCents: number;
  currency: string;
  paymentMethod: string;
  provider: string;
  order: OrderSnapshot;
}

export function createPaymentRepository(db: Queryable) {
  return {
    /**
     * The one payment of an order: created `pending` before a charge, or `voided` (failed) to block any
     * charge for an order being undone. Undefined when the order already has a payment.
     */
    async insertFirst(p: NewPayment, as: 'pending' | 'voided' = 'pending'): Promise<PaymentRow | undefined> {
      const { rows } = await db.query<PaymentRow>(
        `INSERT INTO payments (order_id, user_id, amount, currency, payment_method, provider, order_snapshot, status,
           failure_code)
         VALUES ($1, $2, $3::numeric / 100, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (order_id) DO NOTHING RETURNING ${COLUMNS}`,
        [
          p.orderId,
          p.userId,
          p.amountCents,
          p.currency,
          p.paymentMethod,
          p.provider,
          JSON.stringify(p.order),
          as === 'pending' ? 'pending' : 'failed',
          as === 'pending' ? null : 'voided',
        ],
      );
      return rows[0];
    },

    /** A payment left pending longer than any charge attempt can take, which the provider never saw, is void. */
    async voidAbandoned(id: number, olderThanSeconds: number): Promise<PaymentRow | undefined> {
      const { rows } = await db.query<PaymentRow>(
        `UPDATE payments SET status = 'failed', failure_code = 'voided', updated_at = now()
         WHERE id = $1 AND status = 'pending' AND created_at < now() - $2 * interval '1 second' RETURNING ${COLUMNS}`,
        [id, olderThanSeconds],
      );
      return rows[0];
    },

    async findById(id: number, q: Queryable = db, lock = false): Promise<PaymentRow | undefined> {
      const { rows } = await q.query<PaymentRow>(
        `SELECT ${COLUMNS} FROM payments WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0];
    },

    async findByOrder(orderId: number): Promise<PaymentRow | undefined> {
      const { rows } = await db.query<PaymentRow>(`SELECT ${COLUMNS} FROM payments WHERE order_id = $1`, [orderId]);
      return rows[0];
    },

    /** Records the provider's answer once, with its event in the same statement: a payment already settled is left as it is. */
    async settle(
      id: number,
      outcome: { status: PaymentStatus; transactionId: string | null; failureCode: string | null },
      event: OutgoingEvent,
      q: Queryable = db,
    ): Promise<PaymentRow | undefined> {
      const outbox = outboxInsert(event, 5, 'EXISTS (SELECT 1 FROM s)');
      const { rows } = await q.query<PaymentRow>(
        `WITH s AS (
           UPDATE payments SET status = $2, transaction_id = $3, failure_code = $4, updated_at = now()
           WHERE id = $1 AND status = 'pending' RETURNING ${COLUMNS}),
         e AS (${outbox.sql})
         SELECT * FROM s`,
        [id, outcome.status, outcome.transactionId, outcome.failureCode, ...outbox.params],
      );
      return rows[0];
    },

    async findRefund(idempotencyKey: string, q: Queryable): Promise<{ id: number } | undefined> {
      const { rows } = await q.query<{ id: number }>('SELECT id FROM refunds WHERE idempotency_key = $1', [
        idempotencyKey,
      ]);
      return rows[0];
    },

    async recordRefund(
      r: { paymentId: number; cents: number; idempotencyKey: string; providerRefundId: string; status: PaymentStatus },
      q: Queryable,
    ): Promise<PaymentRow> {
      await q.query(
        'INSERT INTO refunds (payment_id, amount, idempotency_key, provider_refund_id) VALUES ($1, $2::numeric / 100, $3, $4)',
        [r.paymentId, r.cents, r.idempotencyKey, r.providerRefundId],
      );
      const { rows } = await q.query<PaymentRow>(
        `UPDATE payments SET refunded_amount = refunded_amount + $2::numeric / 100, status = $3, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
        [r.paymentId, r.cents, r.status],
      );
      return rows[0]!;
    },
  };
}

export type PaymentRepository = ReturnType<typeof createPaymentRepository>;

import type { Queryable } from '@emporium/kit';
import { outboxInsert, type OutgoingEvent } from '@emporium/messaging';
import { ORDER_COLUMNS } from '../orders/order-repository.ts';
import type { OrderItem, OrderRow, OrderStatus, ShippingAddress, StepName } from '../orders/order.ts';

/** What a runner records about an order after some steps; every field is optional but the step. */
export interface Progress {
  step: StepName;
  compensating?: boolean;
  status?: OrderStatus;
  cancelReason?: string;
  paymentId?: string;
  /** The reserved lines: recorded once, with the total and `placed_at`. */
  items?: OrderItem[];
  attempts: number;
  /** Null parks the order: nothing picks it up again until an operator re-arms it. */
  nextAttemptAt: Date | null;
  lastError: string | null;
  /** Keep the lease (more steps follow now) or give it up. */
  keepLease: boolean;
  event?: OutgoingEvent;
}

export interface Claim {
  userId: number;
  idempotencyKey: string | null;
  requestHash: string | null;
  address: ShippingAddress;
  paymentMethod: string;
  lines: Array<{ product_id: number; quantity: number }>;
  owner: string;
  leaseSeconds: number;
}

const FREE_LEASE = '(lease_owner IS NULL OR lease_until < now())';

export function createCheckoutRepository(db: Queryable) {
  return {
    /**
     * Inserts the order before anything else happens, holding its lease: the unique (user, key) makes this
     * the claim of an Idempotency-Key, so no lock or connection is held while other services are called.
     * Undefined when the key is already taken.
     */
    async claim(c: Claim): Promise<OrderRow | undefined> {
      const { rows } = await db.query<OrderRow>(
        `INSERT INTO orders (user_id, total_amount, shipping_address, payment_method, idempotency_key, request_hash,
           requested_items, step, lease_owner, lease_until, next_attempt_at)
         VALUES ($1, 0, $2, $3, $4, $5, $6, 'reserve_stock', $7, now() + $8 * interval '1 second', now())
         ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING ${ORDER_COLUMNS}`,
        [
          c.userId,
          JSON.stringify(c.address),
          c.paymentMethod,
          c.idempotencyKey,
          c.requestHash,
          JSON.stringify(c.lines),
          c.owner,
          c.leaseSeconds,
        ],
      );
      return rows[0];
    },

    async findByKey(userId: number, key: string): Promise<(OrderRow & { leased: boolean }) | undefined> {
      const { rows } = await db.query<OrderRow & { leased: boolean }>(
        `SELECT ${ORDER_COLUMNS}, NOT ${FREE_LEASE} AS leased FROM orders WHERE user_id = $1 AND idempotency_key = $2`,
        [userId, key],
      );
      return rows[0];
    },

    /**
     * Records progress in one statement (the row, its lines, its event), only while `owner` holds the lease:
     * a runner whose lease lapsed and was taken over writes nothing. Undefined then.
     */
    async record(id: number, owner: string, p: Progress, leaseSeconds: number): Promise<OrderRow | undefined> {
      const params: unknown[] = [
        id,
        owner,
        p.step,
        p.compensating ?? null,
        p.status ?? null,
        p.cancelReason ?? null,
        p.paymentId ?? null,
        p.items ? p.items.reduce((sum, i) => sum + Math.round(i.price * 100) * i.quantity, 0) : null,
        p.attempts,
        p.nextAttemptAt,
        p.lastError,
        p.keepLease ? owner : null,
        p.keepLease ? leaseSeconds : null,
      ];
      const ctes: string[] = [];
      if (p.items) {
        const first = params.length + 1;
        params.push(
          ...[
            p.items.map((i) => i.product_id),
            p.items.map((i) => i.product_name),
            p.items.map((i) => i.category),
            p.items.map((i) => i.quantity),
            p.items.map((i) => i.price),
          ],
        );
        ctes.push(`i AS (INSERT INTO order_items (order_id, product_id, product_name, category, quantity, price)
          SELECT m.id, u.* FROM m, unnest($${first}::int[], $${first + 1}::text[], $${first + 2}::text[],
            $${first + 3}::int[], $${first + 4}::numeric[]) AS u)`);
      }
      if (p.event) {
        const outbox = outboxInsert(p.event, params.length + 1, 'EXISTS (SELECT 1 FROM m)');
        params.push(...outbox.params);
        ctes.push(`e AS (${outbox.sql})`);
      }
      const { rows } = await db.query<OrderRow>(
        `WITH m AS (
           UPDATE orders SET step = $3, compensating = COALESCE($4, compensating), status = COALESCE($5, status),
             cancel_reason = COALESCE($6, cancel_reason), payment_id = COALESCE($7, payment_id),
             total_amount = COALESCE($8::numeric / 100, total_amount),
             placed_at = CASE WHEN $8::bigint IS NULL THEN placed_at ELSE now() END,
             attempts = $9, next_attempt_at = $10, last_error = $11,
             lease_owner = $12, lease_until = now() + $13::int * interval '1 second', updated_at = now()
           WHERE id = $1 AND lease_owner = $2 RETURNING ${ORDER_COLUMNS})${ctes.map((c) => `,\n         ${c}`).join('')}
         SELECT * FROM m`,
        params,
      );
      return rows[0];
    },

    /** An order that never got placed (its stock was refused or could not be reserved) is no order at all. */
    async discard(id: number, owner: string): Promise<boolean> {
      const { rowCount } = await db.query(
        'DELETE FROM orders WHERE id = $1 AND lease_owner = $2 AND placed_at IS NULL',
        [id, owner],
      );
      return rowCount === 1;
    },

    /**
     * Starts a cancel: the status, reason and event in one statement, and the lease, so no runner is in the
     * middle of a step. Undefined when the order is not cancellable now (gone, later state, or busy).
     */
    async beginCancel(
      current: OrderRow,
      c: { owner: string; reason: string; startAt: StepName; event: OutgoingEvent; leaseSeconds: number },
    ): Promise<OrderRow | undefined> {
      const outbox = outboxInsert(c.event, 7, 'EXISTS (SELECT 1 FROM m)');
      const { rows } = await db.query<OrderRow>(
        `WITH m AS (
           UPDATE orders SET status = 'cancelled', cancel_reason = $3, compensating = true, step = $4, attempts = 0,
             next_attempt_at = now(), last_error = NULL, lease_owner = $5,
             lease_until = now() + $6 * interval '1 second', updated_at = now()
           WHERE id = $1 AND status = $2 AND placed_at IS NOT NULL AND ${FREE_LEASE} RETURNING ${ORDER_COLUMNS}),
         e AS (${outbox.sql})
         SELECT * FROM m`,
        [current.id, current.status, c.reason, c.startAt, c.owner, c.leaseSeconds, ...outbox.params],
      );
      return rows[0];
    },

    /** Due sagas for recovery, each leased to `owner`; SKIP LOCKED so several recoverers never take the same one. */
    async claimDue(owner: string, limit: number, leaseSeconds: number): Promise<OrderRow[]> {
      const { rows } = await db.query<OrderRow>(
        `UPDATE orders SET lease_owner = $1, lease_until = now() + $3 * interval '1 second'
         WHERE id IN (
           SELECT id FROM orders WHERE step <> 'done' AND next_attempt_at <= now() AND ${FREE_LEASE}
           ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING ${ORDER_COLUMNS}`,
        [owner, limit, leaseSeconds],
      );
      return rows;
    },

    /** Unfinished sagas by step and direction, how many are late, and how many are parked, for the metrics. */
    async census(
      lateAfterSeconds: number,
    ): Promise<{ byStep: Array<{ step: string; compensating: boolean; n: number }>; late: number; parked: number }> {
      const { rows } = await db.query<{ step: string; compensating: boolean; n: number; late: number; parked: number }>(
        `SELECT step, compensating, count(*)::int AS n,
           count(*) FILTER (WHERE next_attempt_at < now() - $1 * interval '1 second')::int AS late,
           count(*) FILTER (WHERE next_attempt_at IS NULL)::int AS parked
         FROM orders WHERE step <> 'done' GROUP BY step, compensating`,
        [lateAfterSeconds],
      );
      return {
        byStep: rows.map(({ step, compensating, n }) => ({ step, compensating, n })),
        late: rows.reduce((s, r) => s + r.late, 0),
        parked: rows.reduce((s, r) => s + r.parked, 0),
      };
    },
  };
}

export type CheckoutRepository = ReturnType<typeof createCheckoutRepository>;

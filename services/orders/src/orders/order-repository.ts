import { containsPattern, type Queryable } from '@emporium/kit';
import { outboxInsert, type OutgoingEvent } from '@emporium/messaging';
import type { OrderItem, OrderRow, OrderStatus } from './order.ts';

export const ORDER_COLUMNS =
  'id, user_id, total_amount, status, shipping_address, payment_id, payment_method, cancel_reason, idempotency_key, ' +
  'request_hash, step, compensating, attempts, next_attempt_at, last_error, placed_at, requested_items, created_at, updated_at';
const COLUMNS = ORDER_COLUMNS;

export interface OrderFilter {
  status?: OrderStatus;
  q?: string;
  from?: Date;
  to?: Date;
}

export function createOrderRepository(db: Queryable) {
  return {
    async find(id: number, q: Queryable = db, lock = false): Promise<OrderRow | undefined> {
      const { rows } = await q.query<OrderRow>(
        `SELECT ${COLUMNS} FROM orders WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0];
    },

    async items(orderIds: number[], q: Queryable = db): Promise<Map<number, OrderItem[]>> {
      const { rows } = await q.query<OrderItem & { order_id: number }>(
        'SELECT order_id, product_id, product_name, category, quantity, price FROM order_items WHERE order_id = ANY($1::int[]) ORDER BY id',
        [orderIds],
      );
      const out = new Map<number, OrderItem[]>(orderIds.map((id) => [id, []]));
      // DECIMAL comes back as text: prices become numbers of whole cents here, once.
      for (const { order_id, ...item } of rows)
        out.get(order_id)!.push({ ...item, price: Math.round(Number(item.price) * 100) / 100 });
      return out;
    },

    async listByUser(userId: number, beforeId: number | undefined, limit: number): Promise<OrderRow[]> {
      const { rows } = await db.query<OrderRow>(
        `SELECT ${COLUMNS} FROM orders WHERE user_id = $1 AND placed_at IS NOT NULL AND ($2::int IS NULL OR id < $2)
         ORDER BY id DESC LIMIT $3`,
        [userId, beforeId ?? null, limit],
      );
      return rows;
    },

    /** Every customer's placed orders, newest first, for the admin console. `q` has already been checked. */
    async listAll(filter: OrderFilter, beforeId: number | undefined, limit: number): Promise<OrderRow[]> {
      const like = containsPattern(filter.q);
      const { rows } = await db.query<OrderRow>(
        `SELECT ${COLUMNS} FROM orders o
         WHERE placed_at IS NOT NULL
           AND ($1::text IS NULL OR status = $1)
           AND ($2::timestamptz IS NULL OR created_at >= $2)
           AND ($3::timestamptz IS NULL OR created_at < $3)
           AND ($4::int IS NULL OR id < $4)
           AND ($5::text IS NULL OR id::text = $5 OR user_id::text = $5
             OR concat_ws(' ', shipping_address->>'line1', shipping_address->>'line2', shipping_address->>'city',
                  shipping_address->>'region', shipping_address->>'postal_code', shipping_address->>'country') ILIKE $6
             OR EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND i.product_name ILIKE $6))
         ORDER BY id DESC LIMIT $7`,
        [
          filter.status ?? null,
          filter.from ?? null,
          filter.to ?? null,
          beforeId ?? null,
          filter.q ?? null,
          like,
          limit,
        ],
      );
      return rows;
    },

    /**
     * Moves the status only from `from`, so two concurrent moves cannot both happen; the event, if
     * given, is recorded in the same statement and only if the move happened.
     */
    async move(
      id: number,
      from: OrderStatus,
      to: OrderStatus,
      event: OutgoingEvent | undefined,
      q: Queryable = db,
    ): Promise<OrderRow | undefined> {
      const outbox = event ? outboxInsert(event, 4, 'EXISTS (SELECT 1 FROM m)') : undefined;
      const { rows } = await q.query<OrderRow>(
        `WITH m AS (
           UPDATE orders SET status = $3, updated_at = now()
           WHERE id = $1 AND status = $2 AND step = 'done' RETURNING ${COLUMNS})${
             outbox
               ? `,
         e AS (${outbox.sql})`
               : ''
           }
         SELECT * FROM m`,
        [id, from, to, ...(outbox?.params ?? [])],
      );
      return rows[0];
    },
  };
}

export type OrderRepository = ReturnType<typeof createOrderRepository>;

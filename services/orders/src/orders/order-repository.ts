import type { Queryable } from '@emporium/kit';
import { outboxInsert, type OutgoingEvent } from '@emporium/messaging';
import type { OrderItem, OrderRow, OrderStatus, ShippingAddress } from './order.ts';

const COLUMNS = 'id, user_id, total_amount, status, shipping_address, payment_id, payment_method, cancel_reason, idempotency_key, request_hash, stock_settled_at, refund_settled_at, created_at, updated_at';

export function createOrderRepository(db: Queryable) {
  return {
    async nextId(): Promise<number> {
      const { rows } = await db.query<{ id: number }>("SELECT nextval('orders_id_seq')::int AS id");
      return rows[0]!.id;
    },

    /** The order, its lines and its `order_created` event in one statement: one round trip, all or nothing. */
    async insert(o: { id: number; userId: number; totalCents: number; address: ShippingAddress; paymentMethod: string; idempotencyKey: string | null; requestHash: string | null; items: OrderItem[] }, event: OutgoingEvent, q: Queryable = db): Promise<OrderRow> {
      const outbox = outboxInsert(event, 13);
      const { rows } = await q.query<OrderRow>(
        `WITH o AS (
           INSERT INTO orders (id, user_id, total_amount, shipping_address, payment_method, idempotency_key, request_hash)
           VALUES ($1, $2, $3::numeric / 100, $4, $5, $6, $7) RETURNING ${COLUMNS}),
         i AS (
           INSERT INTO order_items (order_id, product_id, product_name, category, quantity, price)
           SELECT $1, * FROM unnest($8::int[], $9::text[], $10::text[], $11::int[], $12::numeric[])),
         e AS (${outbox.sql})
         SELECT * FROM o`,
        [o.id, o.userId, o.totalCents, JSON.stringify(o.address), o.paymentMethod, o.idempotencyKey, o.requestHash,
          o.items.map((i) => i.product_id), o.items.map((i) => i.product_name), o.items.map((i) => i.category), o.items.map((i) => i.quantity), o.items.map((i) => i.price),
          ...outbox.params],
      );
      return rows[0]!;
    },

    async find(id: number, q: Queryable = db, lock = false): Promise<OrderRow | undefined> {
      const { rows } = await q.query<OrderRow>(`SELECT ${COLUMNS} FROM orders WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
      return rows[0];
    },

    async findByKey(userId: number, key: string): Promise<OrderRow | undefined> {
      const { rows } = await db.query<OrderRow>(`SELECT ${COLUMNS} FROM orders WHERE user_id = $1 AND idempotency_key = $2`, [userId, key]);
      return rows[0];
    },

    async items(orderIds: number[], q: Queryable = db): Promise<Map<number, OrderItem[]>> {
      const { rows } = await q.query<OrderItem & { order_id: number }>(
        'SELECT order_id, product_id, product_name, category, quantity, price FROM order_items WHERE order_id = ANY($1::int[]) ORDER BY id',
        [orderIds],
      );
      const out = new Map<number, OrderItem[]>(orderIds.map((id) => [id, []]));
      // DECIMAL comes back as text: prices become numbers of whole cents here, once.
      for (const { order_id, ...item } of rows) out.get(order_id)!.push({ ...item, price: Math.round(Number(item.price) * 100) / 100 });
      return out;
    },

    async listByUser(userId: number, beforeId: number | undefined, limit: number): Promise<OrderRow[]> {
      const { rows } = await db.query<OrderRow>(
        `SELECT ${COLUMNS} FROM orders WHERE user_id = $1 AND ($2::int IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
        [userId, beforeId ?? null, limit],
      );
      return rows;
    },

    /**
     * Moves the status only from `from`, so two concurrent moves cannot both happen; the event, if
     * given, is recorded in the same statement and only if the move happened.
     */
    async move(id: number, from: OrderStatus, to: OrderStatus, extra: { paymentId?: string; cancelReason?: string; stockSettled?: boolean }, event: OutgoingEvent | undefined, q: Queryable = db): Promise<OrderRow | undefined> {
      const outbox = event ? outboxInsert(event, 7, 'EXISTS (SELECT 1 FROM m)') : undefined;
      const { rows } = await q.query<OrderRow>(
        `WITH m AS (
           UPDATE orders SET status = $3, payment_id = COALESCE($4, payment_id), cancel_reason = COALESCE($5, cancel_reason),
             stock_settled_at = CASE WHEN $6 THEN now() ELSE stock_settled_at END, updated_at = now()
           WHERE id = $1 AND status = $2 RETURNING ${COLUMNS})${outbox ? `,
         e AS (${outbox.sql})` : ''}
         SELECT * FROM m`,
        [id, from, to, extra.paymentId ?? null, extra.cancelReason ?? null, extra.stockSettled ?? false, ...(outbox?.params ?? [])],
      );
      return rows[0];
    },

    /** A cancel owes the stock back, even for a paid order whose stock was already settled as sold. */
    async oweStock(id: number, q: Queryable): Promise<void> {
      await q.query('UPDATE orders SET stock_settled_at = NULL WHERE id = $1', [id]);
    },

    async markSettled(id: number, what: 'stock' | 'refund'): Promise<void> {
      await db.query(`UPDATE orders SET ${what === 'stock' ? 'stock_settled_at' : 'refund_settled_at'} = now() WHERE id = $1`, [id]);
    },

    /** Orders with a step still owed: pending for a while (payment unknown), or cancelled/paid with stock or refund not settled. */
    async unfinished(olderThanSeconds: number, limit: number): Promise<OrderRow[]> {
      const { rows } = await db.query<OrderRow>(
        `SELECT ${COLUMNS} FROM orders
         WHERE updated_at < now() - $1 * interval '1 second'
           AND ((status = 'pending') OR (status <> 'pending' AND stock_settled_at IS NULL)
                OR (status = 'cancelled' AND payment_id IS NOT NULL AND refund_settled_at IS NULL))
         ORDER BY id LIMIT $2`,
        [olderThanSeconds, limit],
      );
      return rows;
    },
  };
}

export type OrderRepository = ReturnType<typeof createOrderRepository>;

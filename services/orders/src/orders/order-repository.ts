import type { Queryable } from '@emporium/kit';
import type { OrderItem, OrderRow, OrderStatus, ShippingAddress } from './order.ts';

const COLUMNS = 'id, user_id, total_amount, status, shipping_address, payment_id, payment_method, cancel_reason, idempotency_key, request_hash, stock_settled_at, refund_settled_at, created_at, updated_at';

export function createOrderRepository(db: Queryable) {
  return {
    async nextId(): Promise<number> {
      const { rows } = await db.query<{ id: number }>("SELECT nextval('orders_id_seq')::int AS id");
      return rows[0]!.id;
    },

    async insert(o: { id: number; userId: number; totalCents: number; address: ShippingAddress; paymentMethod: string; idempotencyKey: string | null; requestHash: string | null; items: OrderItem[] }, q: Queryable): Promise<OrderRow> {
      const { rows } = await q.query<OrderRow>(
        `INSERT INTO orders (id, user_id, total_amount, shipping_address, payment_method, idempotency_key, request_hash)
         VALUES ($1, $2, $3::numeric / 100, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
        [o.id, o.userId, o.totalCents, JSON.stringify(o.address), o.paymentMethod, o.idempotencyKey, o.requestHash],
      );
      await q.query(
        `INSERT INTO order_items (order_id, product_id, product_name, category, quantity, price)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::int[], $6::numeric[])`,
        [o.id, o.items.map((i) => i.product_id), o.items.map((i) => i.product_name), o.items.map((i) => i.category), o.items.map((i) => i.quantity), o.items.map((i) => i.price)],
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

    /** Moves the status only from `from`, so two concurrent moves cannot both happen. */
    async move(id: number, from: OrderStatus, to: OrderStatus, extra: { paymentId?: string; cancelReason?: string }, q: Queryable): Promise<OrderRow | undefined> {
      const { rows } = await q.query<OrderRow>(
        `UPDATE orders SET status = $3, payment_id = COALESCE($4, payment_id), cancel_reason = COALESCE($5, cancel_reason), updated_at = now()
         WHERE id = $1 AND status = $2 RETURNING ${COLUMNS}`,
        [id, from, to, extra.paymentId ?? null, extra.cancelReason ?? null],
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

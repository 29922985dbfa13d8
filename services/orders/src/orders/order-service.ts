import { assertSelfOrAdmin, DomainError, withTransaction, type Identity, type Pool } from '@emporium/kit';
import type { CatalogClient } from '../clients/catalog-client.ts';
import type { PaymentClient } from '../clients/payment-client.ts';
import { orderEvent } from './order-events.ts';
import type { OrderRepository } from './order-repository.ts';
import { assertMove, toOrder, type Order, type OrderRow, type OrderStatus } from './order.ts';

interface Deps {
  pool: Pool;
  orders: OrderRepository;
  catalog: CatalogClient;
  payments: PaymentClient;
}

const notFound = () => new DomainError('order_not_found', 'not_found', 'No such order.');

export function createOrderService({ pool, orders, catalog, payments }: Deps) {
  async function withItems(rows: OrderRow[]): Promise<Order[]> {
    const items = await orders.items(rows.map((r) => r.id));
    return rows.map((r) => toOrder(r, items.get(r.id)!));
  }

  /** After a cancel commits: stock back and money back, each exactly once (idempotent calls, then a marker). */
  async function compensate(row: OrderRow): Promise<void> {
    if (row.payment_id && !row.refund_settled_at) {
      await payments.refundOrder(row.id, Number(row.payment_id));
      await orders.markSettled(row.id, 'refund');
    }
    if (!row.stock_settled_at) {
      await catalog.release(row.id);
      await orders.markSettled(row.id, 'stock');
    }
  }

  async function cancel(identity: Identity, id: number, reason: string): Promise<Order> {
    const cancelled = await withTransaction(pool, async (tx) => {
      const row = await orders.find(id, tx, true);
      if (!row) throw notFound();
      assertSelfOrAdmin(identity, row.user_id, 'order');
      assertMove(row.status, 'cancelled');
      await orders.oweStock(id, tx);
      const items = (await orders.items([id], tx)).get(id)!;
      return (await orders.move(id, row.status, 'cancelled', { cancelReason: reason }, orderEvent('order_cancelled', { ...row, status: 'cancelled', cancel_reason: reason }, items, row.status), tx))!;
    });
    // If this fails, the reconciler finishes it: the order already says cancelled, and that is true.
    await compensate(cancelled).catch(() => undefined);
    return (await withItems([(await orders.find(id))!]))[0]!;
  }

  return {
    compensate,

    async get(identity: Identity, id: number): Promise<Order> {
      const row = await orders.find(id);
      if (!row) throw notFound();
      assertSelfOrAdmin(identity, row.user_id, 'order');
      return (await withItems([row]))[0]!;
    },

    async listByUser(identity: Identity, userId: number, limit: number, cursor: string | undefined): Promise<{ items: Order[]; next_cursor: string | null }> {
      assertSelfOrAdmin(identity, userId, 'user');
      const before = cursor === undefined ? undefined : Number(Buffer.from(cursor, 'base64url').toString());
      if (before !== undefined && !Number.isSafeInteger(before)) {
        throw new DomainError('invalid_cursor', 'validation', 'The cursor is not valid.', { fields: [{ field: 'cursor', message: 'is invalid' }] });
      }
      const rows = await orders.listByUser(userId, before, limit + 1);
      const page = rows.slice(0, limit);
      return { items: await withItems(page), next_cursor: rows.length > limit ? Buffer.from(String(page.at(-1)!.id)).toString('base64url') : null };
    },

    cancel: (identity: Identity, id: number) => cancel(identity, id, identity.role === 'admin' ? 'cancelled_by_admin' : 'cancelled_by_customer'),

    /** Admin moves along the flow; `cancelled` goes through the cancel path (refund and restock). */
    async changeStatus(identity: Identity, id: number, status: OrderStatus): Promise<Order> {
      if (status === 'cancelled') return cancel(identity, id, 'cancelled_by_admin');
      if (status === 'processing' || status === 'pending') {
        throw new DomainError('invalid_status_transition', 'conflict', 'Only a confirmed payment makes an order processing.');
      }
      const moved = await withTransaction(pool, async (tx) => {
        const row = await orders.find(id, tx, true);
        if (!row) throw notFound();
        assertMove(row.status, status);
        const items = (await orders.items([id], tx)).get(id)!;
        return (await orders.move(id, row.status, status, {}, orderEvent('order_status_changed', { ...row, status }, items, row.status), tx))!;
      });
      // Best effort: a hold left behind costs only a few bytes on the product until the next try.
      if (status === 'shipped') await catalog.finalize(id).catch(() => undefined);
      return (await withItems([moved]))[0]!;
    },
  };
}

export type OrderService = ReturnType<typeof createOrderService>;

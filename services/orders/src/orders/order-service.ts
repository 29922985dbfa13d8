import {
  assertSelfOrAdmin,
  beforeIdOf,
  idPage,
  instantOf,
  DomainError,
  notFoundError,
  withTransaction,
  type Identity,
  type Pool,
} from '@emporium/kit';
import type { CatalogClient } from '../clients/catalog-client.ts';
import type { CheckoutService } from '../checkout/checkout-service.ts';
import { orderEvent } from './order-events.ts';
import type { OrderRepository } from './order-repository.ts';
import type { AdminListQuery } from './order-schemas.ts';
import { assertMove, toOrder, type Order, type OrderRow, type OrderStatus } from './order.ts';

interface Deps {
  pool: Pool;
  orders: OrderRepository;
  catalog: CatalogClient;
  checkout: CheckoutService;
  log: { warn(obj: object, msg: string): void };
}

const notFound = () => notFoundError('order');

type OrderPage = { items: Order[]; next_cursor: string | null };

export function createOrderService({ pool, orders, catalog, checkout, log }: Deps) {
  async function withItems(rows: OrderRow[]): Promise<Order[]> {
    const items = await orders.items(rows.map((r) => r.id));
    return rows.map((r) => toOrder(r, items.get(r.id)!));
  }

  async function page(rows: OrderRow[], limit: number): Promise<OrderPage> {
    const { shown, next_cursor } = idPage(rows, limit);
    return { items: await withItems(shown), next_cursor };
  }

  return {
    async get(identity: Identity, id: number): Promise<Order> {
      const row = await orders.find(id);
      if (!row || !row.placed_at) throw notFound();
      assertSelfOrAdmin(identity, row.user_id, 'order');
      return (await withItems([row]))[0]!;
    },

    async listByUser(
      identity: Identity,
      userId: number,
      limit: number,
      cursor: string | undefined,
    ): Promise<OrderPage> {
      assertSelfOrAdmin(identity, userId, 'user');
      return page(await orders.listByUser(userId, beforeIdOf(cursor), limit + 1), limit);
    },

    /** Every customer's orders for the console, filtered; the route has checked the admin role. */
    async listAll(query: AdminListQuery): Promise<OrderPage> {
      const filter = {
        status: query.status,
        q: query.q,
        from: instantOf(query.from, 'from'),
        to: instantOf(query.to, 'to'),
      };
      return page(await orders.listAll(filter, beforeIdOf(query.cursor), query.limit + 1), query.limit);
    },

    cancel: (identity: Identity, id: number) =>
      checkout.cancel(identity, id, identity.role === 'admin' ? 'cancelled_by_admin' : 'cancelled_by_customer'),

    /** Admin moves along the flow; `cancelled` goes through the cancel path (refund and restock). */
    async changeStatus(identity: Identity, id: number, status: OrderStatus): Promise<Order> {
      if (status === 'cancelled') return checkout.cancel(identity, id, 'cancelled_by_admin');
      if (status === 'processing' || status === 'pending') {
        throw new DomainError(
          'invalid_status_transition',
          'conflict',
          'Only a confirmed payment makes an order processing.',
        );
      }
      const moved = await withTransaction(pool, async (tx) => {
        const row = await orders.find(id, tx, true);
        if (!row || !row.placed_at) throw notFound();
        assertMove(row.status, status);
        const items = (await orders.items([id], tx)).get(id)!;
        const moved = await orders.move(
          id,
          row.status,
          status,
          orderEvent('order_status_changed', { ...row, status }, items, row.status),
          tx,
        );
        if (!moved)
          throw new DomainError('order_busy', 'conflict', 'The order is still being settled; try again shortly.', {
            retryAfterSeconds: 2,
          });
        return moved;
      });
      // The sale is final: the products forget the order's holds. If that fails, a hold costs a few bytes until a later try.
      if (status === 'shipped') {
        await catalog
          .finalize(id)
          .catch((err: unknown) =>
            log.warn({ order_id: id, err: (err as Error).message }, 'finalising the reservation failed'),
          );
      }
      return (await withItems([moved]))[0]!;
    },
  };
}

export type OrderService = ReturnType<typeof createOrderService>;

import type { CatalogClient } from '../clients/catalog-client.ts';
import type { Checkout } from './checkout.ts';
import type { OrderRepository } from './order-repository.ts';
import type { OrderService } from './order-service.ts';

/**
 * Finishes what a crash or an outage left half done: pending orders get their payment settled (the
 * payment service asks its provider, never charges twice), paid orders their stock committed, and
 * cancelled orders their stock and money back. Every step is idempotent, so running it twice is safe.
 */
export function createReconciler(deps: { orders: OrderRepository; checkout: Checkout; service: OrderService; catalog: CatalogClient; graceSeconds: number }) {
  return async function reconcile(): Promise<number> {
    const rows = await deps.orders.unfinished(deps.graceSeconds, 100);
    for (const row of rows) {
      if (row.status === 'pending') await deps.checkout.pay(row);
      else if (row.status === 'cancelled') await deps.service.compensate(row);
      else {
        await deps.catalog.commit(row.id);
        await deps.orders.markSettled(row.id, 'stock');
      }
    }
    return rows.length;
  };
}

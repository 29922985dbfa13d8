import { DomainError } from '@emporium/kit';
import { retryOf, type SagaStep } from '../saga.ts';

/** Holds stock for every line or for none; prices, names and categories come from the catalog, never the client. */
export const reserveStock: SagaStep = {
  name: 'reserve_stock',
  async run({ order, catalog }) {
    try {
      const outcome = await catalog.reserve(order.id, order.requested_items ?? []);
      if ('reserved' in outcome) return { kind: 'next', items: outcome.reserved };
      const r = outcome.refused;
      const code = r.code === 'product_not_found' ? 'product_not_found' : 'insufficient_stock';
      const extra = {
        ...(r.product_id ? { product_id: r.product_id } : {}),
        ...(r.available !== undefined ? { available: r.available } : {}),
      };
      return {
        kind: 'cancel',
        reason: code,
        undoSelf: true,
        error: new DomainError(code, 'conflict', r.detail, { extra }),
      };
    } catch (err) {
      return retryOf(err);
    }
  },
  // Gives back whatever was held; a reservation that never happened is nothing to give back.
  async compensate({ order, catalog }) {
    try {
      await catalog.release(order.id);
      return { kind: 'done' };
    } catch (err) {
      return retryOf(err);
    }
  },
};

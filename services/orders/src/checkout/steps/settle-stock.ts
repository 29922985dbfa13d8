import { retryOf, type SagaStep } from '../saga.ts';

/**
 * The payment is in: the held stock becomes sold. A reservation that is no longer there (it expired while
 * the payment took too long) cannot be sold, so the order is cancelled and the money goes back. Nothing to
 * undo here: releasing the reservation, reserve_stock's compensation, also returns sold stock.
 */
export const settleStock: SagaStep = {
  name: 'settle_stock',
  async run({ order, catalog }) {
    try {
      const outcome = await catalog.commit(order.id);
      if (outcome === 'committed') return { kind: 'next' };
      return { kind: 'cancel', reason: 'stock_unavailable', undoSelf: false };
    } catch (err) {
      return retryOf(err);
    }
  },
};

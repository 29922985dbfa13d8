import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertSelfOrAdmin, DomainError, notFoundError, type Identity } from '@emporium/kit';
import { orderEvent } from '../orders/order-events.ts';
import type { OrderRepository } from '../orders/order-repository.ts';
import {
  assertMove,
  toOrder,
  type Order,
  type OrderRow,
  type ShippingAddress,
  type StepName,
} from '../orders/order.ts';
import type { CheckoutRepository } from './checkout-repository.ts';
import { STEPS, type SagaRunner } from './saga-runner.ts';

export interface PlaceOrderInput {
  items: Array<{ product_id: number; quantity: number }>;
  shipping_address: ShippingAddress;
  payment_method?: string | undefined;
}

interface Deps {
  checkouts: CheckoutRepository;
  orders: OrderRepository;
  runner: SagaRunner;
  leaseSeconds: number;
  /** How long a repeat of a key waits for the request that holds it, and a cancel for a busy order. */
  waitMs: number;
}

export const requestHash = (input: PlaceOrderInput): string =>
  createHash('sha256')
    .update(
      JSON.stringify([
        input.items.map((i) => [i.product_id, i.quantity]),
        input.shipping_address,
        input.payment_method ?? null,
      ]),
    )
    .digest('hex');

const notFound = () => notFoundError('order');
const POLL_MS = 50;

/** What the client gets for an order, the same however often it asks with one idempotency key. */
export function answerFor(order: Order): { status: 201 | 202; order: Order } {
  if (order.status === 'cancelled' && order.cancel_reason === 'payment_declined') {
    throw new DomainError('payment_declined', 'payment_required', 'The payment was declined; the order is cancelled.', {
      extra: { order_id: order.id },
    });
  }
  if (
    order.status === 'cancelled' &&
    ['stock_unavailable', 'stock_unresolved', 'payment_unresolved', 'checkout_unresolved'].includes(
      order.cancel_reason ?? '',
    )
  ) {
    throw new DomainError(
      'order_cancelled',
      'conflict',
      'The order could not be completed and has been cancelled; any payment is refunded.',
      {
        extra: { order_id: order.id, cancel_reason: order.cancel_reason },
      },
    );
  }
  // Pending means a step's outcome is not known yet: accepted, to be settled shortly.
  return { status: order.status === 'pending' ? 202 : 201, order };
}

/**
 * Checkout and cancel as a saga whose state is the order row. Placing claims the Idempotency-Key by inserting
 * the row, then the runner moves it on; a repeat of the key waits for that runner (no lock, no held
 * connection) and answers with the same order. Recovery (checkout-recovery.ts) finishes what a crash or an
 * outage interrupted.
 */
export function createCheckoutService({ checkouts, orders, runner, leaseSeconds, waitMs }: Deps) {
  async function load(row: OrderRow): Promise<Order> {
    return toOrder(row, (await orders.items([row.id])).get(row.id)!);
  }

  /** Waits for whoever holds the key to finish its run; undefined if the order it made was discarded. */
  async function settledByKey(userId: number, key: string): Promise<(OrderRow & { leased: boolean }) | undefined> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const row = await checkouts.findByKey(userId, key);
      if (!row || !row.leased || Date.now() > deadline) return row;
      await sleep(POLL_MS);
    }
  }

  async function placeOnce(
    userId: number,
    input: PlaceOrderInput,
    key: string | null,
    hash: string,
  ): Promise<Order | undefined> {
    const owner = randomUUID();
    const lines = input.items.map((i) => ({ product_id: i.product_id, quantity: i.quantity }));
    const claimed = await checkouts.claim({
      userId,
      idempotencyKey: key,
      requestHash: hash,
      address: input.shipping_address,
      paymentMethod: input.payment_method ?? 'pm_card_visa',
      lines,
      owner,
      leaseSeconds,
    });
    if (claimed) {
      const outcome = await runner.run(claimed, owner);
      if (outcome.error && !outcome.order?.placed_at) throw outcome.error;
      if (!outcome.order) {
        // This runner's lease lapsed and recovery took the order over: answer with the order as it is now.
        const current = await orders.find(claimed.id);
        if (current?.placed_at) return load(current);
        throw new DomainError(
          'checkout_interrupted',
          'unavailable',
          'The order is still being settled; ask again shortly.',
          { retryAfterSeconds: 2 },
        );
      }
      return toOrder(outcome.order, outcome.items);
    }
    const existing = await settledByKey(userId, key!);
    if (!existing) return undefined; // discarded meanwhile: the key is free again
    if (existing.request_hash !== hash) {
      throw new DomainError(
        'idempotency_key_reused',
        'conflict',
        'This Idempotency-Key was used for a different order.',
        { extra: { order_id: existing.id } },
      );
    }
    if (!existing.placed_at) {
      throw new DomainError(
        'checkout_in_progress',
        'conflict',
        'A request with this Idempotency-Key is still being processed; retry shortly.',
        { retryAfterSeconds: 1 },
      );
    }
    return load(existing);
  }

  /** Where undoing starts for an order cancelled at its current step (all of it, once checkout is done). */
  const undoFrom = (row: OrderRow): StepName => {
    const at = row.step === 'done' ? STEPS.length - 1 : STEPS.findIndex((s) => s.name === row.step);
    for (let i = at; i >= 0; i--) if (STEPS[i]!.compensate) return STEPS[i]!.name;
    return 'done';
  };

  return {
    /** Places an order, or with an idempotency key returns the order that key already made. */
    async placeOrder(userId: number, input: PlaceOrderInput, key: string | undefined): Promise<Order> {
      const hash = requestHash(input);
      for (let tries = 0; tries < 3; tries++) {
        const order = await placeOnce(userId, input, key ?? null, hash);
        if (order) return order;
      }
      throw new DomainError(
        'checkout_in_progress',
        'conflict',
        'A request with this Idempotency-Key is still being processed; retry shortly.',
        { retryAfterSeconds: 1 },
      );
    },

    /**
     * Cancels while pending or processing: the status and `order_cancelled` first, then the runner undoes the
     * steps (payment voided or refunded, stock released), each once. Waits briefly if a step is running now.
     */
    async cancel(identity: Identity, id: number, reason: string): Promise<Order> {
      const deadline = Date.now() + waitMs;
      for (;;) {
        const row = await orders.find(id);
        if (!row || !row.placed_at) throw notFound();
        assertSelfOrAdmin(identity, row.user_id, 'order');
        assertMove(row.status, 'cancelled');
        const items = (await orders.items([id])).get(id)!;
        const owner = randomUUID();
        const event = orderEvent(
          'order_cancelled',
          { ...row, status: 'cancelled', cancel_reason: reason },
          items,
          row.status,
        );
        const started = await checkouts.beginCancel(row, {
          owner,
          reason,
          startAt: undoFrom(row),
          event,
          leaseSeconds,
        });
        if (started) {
          const outcome = await runner.run(started, owner, { items });
          return toOrder(outcome.order ?? started, items);
        }
        if (Date.now() > deadline) {
          throw new DomainError('order_busy', 'conflict', 'The order is being updated right now; try again shortly.', {
            retryAfterSeconds: 2,
          });
        }
        await sleep(POLL_MS * 2);
      }
    },
  };
}

export type CheckoutService = ReturnType<typeof createCheckoutService>;

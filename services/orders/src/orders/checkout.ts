import { createHash } from 'node:crypto';
import { DomainError, isUniqueViolation, type Pool } from '@emporium/kit';
import type { CatalogClient } from '../clients/catalog-client.ts';
import type { PaymentClient } from '../clients/payment-client.ts';
import { orderEvent } from './order-events.ts';
import type { OrderRepository } from './order-repository.ts';
import { toOrder, totalCents, type Order, type OrderItem, type OrderRow, type ShippingAddress } from './order.ts';

export interface PlaceOrderInput {
  items: Array<{ product_id: number; quantity: number }>;
  shipping_address: ShippingAddress;
  payment_method?: string | undefined;
}

export interface CheckoutDeps {
  pool: Pool;
  orders: OrderRepository;
  catalog: CatalogClient;
  payments: PaymentClient;
}

/** What the client gets for an order, the same however often it asks with one idempotency key. */
export function answerFor(order: Order): { status: 201 | 202; order: Order } {
  if (order.status === 'cancelled' && order.cancel_reason === 'payment_declined') {
    throw new DomainError('payment_declined', 'payment_required', 'The payment was declined; the order is cancelled.', { extra: { order_id: order.id } });
  }
  // Pending means the payment's outcome is not known yet: accepted, to be settled shortly.
  return { status: order.status === 'pending' ? 202 : 201, order };
}

export const requestHash = (input: PlaceOrderInput): string =>
  createHash('sha256').update(JSON.stringify([input.items.map((i) => [i.product_id, i.quantity]), input.shipping_address, input.payment_method ?? null])).digest('hex');

/**
 * Checkout: reserve all lines (or none) at the catalog, record the order with its `order_created`
 * event in one transaction, take the payment, then confirm or cancel. Each step's compensation is
 * beside it, and each downstream call is idempotent per order id, so a retry never doubles anything.
 */
export function createCheckout({ pool, orders, catalog, payments }: CheckoutDeps) {
  async function load(row: OrderRow): Promise<Order> {
    return toOrder(row, (await orders.items([row.id])).get(row.id)!);
  }

  /** Takes the payment for a pending order and moves it on; safe to call again for the same order. */
  async function pay(row: OrderRow, known?: OrderItem[]): Promise<Order> {
    const items = known ?? (await orders.items([row.id])).get(row.id)!;
    const outcome = await payments.process({
      order_id: row.id,
      amount: totalCents(items) / 100,
      payment_method: row.payment_method,
      order: { user_id: row.user_id, total_amount: totalCents(items) / 100, region: row.shipping_address.country, items },
    });
    if (outcome.status === 'unknown') return load(row);
    const paid = outcome.status === 'succeeded';
    // The stock is settled first (sold, or given back), then recorded with the move. If the catalog does
    // not answer, the order moves anyway and the reconciler settles its stock later: both calls repeat safely.
    const stockSettled = await (paid ? catalog.commit(row.id) : catalog.release(row.id)).then(() => true, () => false);
    const moved = paid
      ? await orders.move(row.id, 'pending', 'processing', { paymentId: String(outcome.paymentId), stockSettled }, orderEvent('order_status_changed', { ...row, status: 'processing' }, items, 'pending'))
      : await orders.move(row.id, 'pending', 'cancelled', { cancelReason: 'payment_declined', stockSettled }, orderEvent('order_cancelled', { ...row, status: 'cancelled', cancel_reason: 'payment_declined' }, items, 'pending'));
    // Someone else (a repeat, or the reconciler) moved it first: answer with what it is now.
    return moved ? toOrder(moved, items) : load((await orders.find(row.id))!);
  }

  async function place(userId: number, input: PlaceOrderInput, idempotencyKey: string | undefined): Promise<Order> {
    const hash = idempotencyKey ? requestHash(input) : null;
    const id = await orders.nextId();
    // Only ids and quantities go to the catalog; whatever else a client sent about its items is ignored.
    const reservation = await catalog.reserve(id, input.items.map((i) => ({ product_id: i.product_id, quantity: i.quantity })));
    if ('refused' in reservation) {
      const r = reservation.refused;
      throw new DomainError(r.code === 'product_not_found' ? 'product_not_found' : 'insufficient_stock', 'conflict', r.detail, {
        extra: { ...(r.product_id ? { product_id: r.product_id } : {}), ...(r.available !== undefined ? { available: r.available } : {}) },
      });
    }
    const items = reservation.reserved;
    let row: OrderRow;
    try {
      const totalAmount = totalCents(items) / 100;
      const created = orderEvent('order_created', { id, user_id: userId, total_amount: totalAmount, status: 'pending', shipping_address: input.shipping_address, cancel_reason: null }, items);
      row = await orders.insert({ id, userId, totalCents: totalCents(items), address: input.shipping_address, paymentMethod: input.payment_method ?? 'pm_card_visa', idempotencyKey: idempotencyKey ?? null, requestHash: hash, items }, created);
    } catch (err) {
      await catalog.release(id).catch(() => undefined); // the sweeper would, later; do it now
      throw err;
    }
    return pay(row, items);
  }

  return {
    pay,
    /** Places an order, or with an idempotency key returns the order that key already made. */
    async placeOrder(userId: number, input: PlaceOrderInput, idempotencyKey: string | undefined): Promise<Order> {
      if (!idempotencyKey) return place(userId, input, undefined);
      // One lock per (user, key) on a dedicated connection: concurrent repeats wait for the first, then see its order.
      const lock = await pool.connect();
      try {
        await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`order:${userId}:${idempotencyKey}`]);
        const existing = await orders.findByKey(userId, idempotencyKey);
        if (!existing) {
          try {
            return await place(userId, input, idempotencyKey);
          } catch (err) {
            if (!isUniqueViolation(err)) throw err;
          }
        }
        const row = existing ?? (await orders.findByKey(userId, idempotencyKey))!;
        if (row.request_hash !== requestHash(input)) {
          throw new DomainError('idempotency_key_reused', 'conflict', 'This Idempotency-Key was used for a different order.', { extra: { order_id: row.id } });
        }
        return row.status === 'pending' ? pay(row) : load(row);
      } finally {
        // Unlocking cannot fail in a way that matters: a broken session has lost its advisory locks already.
        await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [`order:${userId}:${idempotencyKey}`]).catch(() => undefined);
        lock.release();
      }
    },
  };
}

export type Checkout = ReturnType<typeof createCheckout>;

import { DomainError } from '@emporium/kit';
import type { ProductCache } from '../cache/product-cache.ts';
import type { LowStockWatch } from '../catalog/low-stock.ts';
import { isConditionFailure, type ProductRepository } from '../catalog/product-repository.ts';
import type { ReservationRepository } from './reservation-repository.ts';
import {
  allowed,
  failureError,
  STATUSES,
  normaliseLines,
  sameLines,
  type RequestedLine,
  type Reservation,
  type ReservedLine,
} from './reservation.ts';

interface Deps {
  reservations: ReservationRepository;
  products: ProductRepository;
  cache: ProductCache;
  lowStock: LowStockWatch;
  ttlSeconds: number;
  now?: () => Date;
}

export interface ReservationView {
  order_id: number;
  status: Reservation['status'];
  lines: Array<RequestedLine | ReservedLine>;
  expires_at: string;
}

const view = (r: Reservation): ReservationView => ({
  order_id: r.order_id,
  status: r.status,
  lines: r.reserved_lines ?? r.lines,
  expires_at: new Date(r.expires_at).toISOString(),
});

const notFound = () => new DomainError('reservation_not_found', 'not_found', 'No reservation for that order.');

/**
 * Stock reservations for orders, all lines or none, each step idempotent per order id. Every stock
 * move is one conditional write on the product that also adds or removes the order id in its
 * `holds` set, so a retried or duplicated call can never take or return stock twice.
 */
export function createReservationService(deps: Deps) {
  const { reservations, products, cache, lowStock } = deps;
  const now = deps.now ?? (() => new Date());

  /** Returns every line's stock the order still holds; safe to repeat. */
  async function returnHolds(orderId: number, lines: RequestedLine[]): Promise<void> {
    const at = now().toISOString();
    await Promise.all(lines.map((l) => products.unhold(l.product_id, orderId, l.quantity, true, at)));
    await cache.invalidate(lines.map((l) => l.product_id));
  }

  async function holdLine(orderId: number, line: RequestedLine): Promise<ReservedLine | Reservation['failure']> {
    try {
      const item = await products.hold(line.product_id, orderId, line.quantity, now().toISOString());
      lowStock.check(item.stock_quantity + line.quantity, item);
      return { ...line, product_name: item.name, category: item.category, price: item.price };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const item = await products.get(line.product_id, true);
      if (!item) return { code: 'product_not_found', product_id: line.product_id, available: 0 };
      // Our own earlier attempt already took this line's stock.
      if (item.holds?.has(String(orderId)))
        return { ...line, product_name: item.name, category: item.category, price: item.price };
      return { code: 'insufficient_stock', product_id: line.product_id, available: item.stock_quantity };
    }
  }

  async function complete(r: Reservation): Promise<ReservationView> {
    const reserved: ReservedLine[] = [];
    for (const line of r.lines) {
      const outcome = await holdLine(r.order_id, line);
      if (outcome && 'code' in outcome) {
        await returnHolds(r.order_id, r.lines);
        await reservations.transition(r.order_id, ['reserving'], 'failed', { failure: outcome }, now().toISOString());
        return settled(r.order_id);
      }
      reserved.push(outcome as ReservedLine);
    }
    await cache.invalidate(r.lines.map((l) => l.product_id));
    const done = await reservations.transition(
      r.order_id,
      ['reserving'],
      'reserved',
      { reserved_lines: reserved },
      now().toISOString(),
    );
    return done ? view(done) : settled(r.order_id);
  }

  /** The outcome another caller (or the sweeper) already decided for this order. */
  async function settled(orderId: number): Promise<ReservationView> {
    const r = await reservations.get(orderId);
    if (!r) throw notFound();
    if (r.status === 'failed') throw failureError(r.failure!);
    if (r.status === 'released') {
      await returnHolds(orderId, r.lines);
      throw new DomainError('reservation_released', 'conflict', 'That reservation has been released.');
    }
    return view(r);
  }

  return {
    async reserve(orderId: number, requested: RequestedLine[]): Promise<ReservationView> {
      const lines = normaliseLines(requested);
      const at = now();
      const fresh: Reservation = {
        order_id: orderId,
        status: 'reserving',
        lines,
        expires_at: at.getTime() + deps.ttlSeconds * 1000,
        created_at: at.toISOString(),
        updated_at: at.toISOString(),
      };
      const r = (await reservations.create(fresh)) ? fresh : await reservations.get(orderId);
      if (!r) throw notFound();
      if (!sameLines(r.lines, lines)) {
        throw new DomainError(
          'reservation_mismatch',
          'conflict',
          'A different reservation already exists for this order.',
        );
      }
      return r.status === 'reserving' ? complete(r) : settled(orderId);
    },

    async commit(orderId: number): Promise<ReservationView> {
      // One conditional write in the usual case; the record is read only to explain a refusal.
      const done = await reservations.transition(
        orderId,
        STATUSES.filter(allowed.commit),
        'committed',
        {},
        now().toISOString(),
      );
      if (done) return view(done);
      const r = await reservations.get(orderId);
      if (!r) throw notFound();
      throw new DomainError('reservation_not_reserved', 'conflict', `A ${r.status} reservation cannot be committed.`);
    },

    /**
     * The order shipped: the sale is final, so the order id leaves the products' `holds` sets (which
     * would otherwise grow with every order) and the stock stays sold. After this, no release.
     */
    async finalize(orderId: number): Promise<ReservationView> {
      const r = await reservations.get(orderId);
      if (!r) throw notFound();
      if (!allowed.finalize(r.status))
        throw new DomainError(
          'reservation_not_committed',
          'conflict',
          `A ${r.status} reservation cannot be finalised.`,
        );
      const at = now().toISOString();
      await Promise.all(r.lines.map((l) => products.unhold(l.product_id, orderId, l.quantity, false, at)));
      const done = await reservations.transition(orderId, ['committed', 'finalized'], 'finalized', {}, at);
      return view(done ?? r);
    },

    async release(orderId: number): Promise<ReservationView> {
      const r = await reservations.get(orderId);
      if (!r) throw notFound();
      if (r.status === 'finalized')
        throw new DomainError(
          'reservation_finalized',
          'conflict',
          'The order has shipped; its stock can no longer be released.',
        );
      await returnHolds(orderId, r.lines);
      if (!allowed.release(r.status) || r.status === 'failed') return view(r);
      const done = await reservations.transition(
        orderId,
        ['reserving', 'reserved', 'committed'],
        'released',
        {},
        now().toISOString(),
      );
      return done ? view(done) : view((await reservations.get(orderId))!);
    },

    async get(orderId: number): Promise<ReservationView> {
      const r = await reservations.get(orderId);
      if (!r) throw notFound();
      return view(r);
    },

    /** Releases reservations whose order never committed them in time (the order process died). */
    async releaseExpired(): Promise<number> {
      const expired = await reservations.findExpired(now().getTime());
      for (const r of expired) await this.release(r.order_id);
      return expired.length;
    },
  };
}

export type ReservationService = ReturnType<typeof createReservationService>;

import { DomainError } from '@emporium/kit';

export const STATUSES = ['reserving', 'reserved', 'committed', 'finalized', 'released', 'failed'] as const;
export type ReservationStatus = (typeof STATUSES)[number];

export interface RequestedLine {
  product_id: number;
  quantity: number;
}

/** A reserved line carries the catalog's name, category and price at the moment stock was taken. */
export interface ReservedLine extends RequestedLine {
  product_name: string;
  category: string;
  price: number;
}

export interface Reservation {
  order_id: number;
  status: ReservationStatus;
  lines: RequestedLine[];
  reserved_lines?: ReservedLine[];
  failure?: { code: string; product_id: number; available: number };
  expires_at: number;
  created_at: string;
  updated_at: string;
}

/** One line per product, in product order: the same request always has the same shape. */
export function normaliseLines(lines: RequestedLine[]): RequestedLine[] {
  const merged = new Map<number, number>();
  for (const l of lines) merged.set(l.product_id, (merged.get(l.product_id) ?? 0) + l.quantity);
  return [...merged].sort((a, b) => a[0] - b[0]).map(([product_id, quantity]) => ({ product_id, quantity }));
}

export const sameLines = (a: RequestedLine[], b: RequestedLine[]): boolean =>
  a.length === b.length && a.every((l, i) => l.product_id === b[i]!.product_id && l.quantity === b[i]!.quantity);

export function failureError(failure: NonNullable<Reservation['failure']>): DomainError {
  if (failure.code === 'product_not_found') {
    return new DomainError('product_not_found', 'conflict', `Product ${failure.product_id} does not exist.`, {
      extra: { product_id: failure.product_id },
    });
  }
  return new DomainError(
    'insufficient_stock',
    'conflict',
    `Only ${failure.available} of product ${failure.product_id} in stock.`,
    {
      extra: { product_id: failure.product_id, available: failure.available },
    },
  );
}

/** Which moves each state allows; anything else is a 409. */
export const allowed = {
  commit: (s: ReservationStatus) => s === 'reserved' || s === 'committed',
  release: (s: ReservationStatus) => s !== 'released' && s !== 'finalized',
  finalize: (s: ReservationStatus) => s === 'committed' || s === 'finalized',
};

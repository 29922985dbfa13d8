import { DomainError } from '@emporium/kit';

/** The checkout saga's steps, in order; `done` once nothing is owed. */
export type StepName = 'reserve_stock' | 'take_payment' | 'settle_stock' | 'confirm_order' | 'done';

export type OrderStatus = 'pending' | 'processing' | 'shipped' | 'delivered' | 'cancelled';

/** Every move an order may make; anything else is a 409. */
const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['processing', 'cancelled'],
  processing: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

export const canMove = (from: OrderStatus, to: OrderStatus): boolean => TRANSITIONS[from].includes(to);

export function assertMove(from: OrderStatus, to: OrderStatus): void {
  if (!canMove(from, to)) {
    throw new DomainError('invalid_status_transition', 'conflict', `An order that is ${from} cannot become ${to}.`, {
      extra: { status: from },
    });
  }
}

export interface ShippingAddress {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postal_code?: string;
  country: string;
}

export interface OrderItem {
  product_id: number;
  product_name: string;
  category: string;
  quantity: number;
  price: number;
}

export interface OrderRow {
  id: number;
  user_id: number;
  total_amount: string;
  status: OrderStatus;
  shipping_address: ShippingAddress;
  payment_id: string | null;
  payment_method: string;
  cancel_reason: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  step: StepName;
  compensating: boolean;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  placed_at: Date | null;
  requested_items: Array<{ product_id: number; quantity: number }> | null;
  created_at: Date;
  updated_at: Date;
}

export interface Order {
  id: number;
  user_id: number;
  status: OrderStatus;
  total_amount: number;
  shipping_address: ShippingAddress;
  payment_id: string | null;
  items: OrderItem[];
  cancel_reason: string | null;
  created_at: string;
  updated_at: string;
}

export const toCents = (amount: string | number): number => Math.round(Number(amount) * 100);

export function toOrder(row: OrderRow, items: OrderItem[]): Order {
  return {
    id: row.id,
    user_id: row.user_id,
    status: row.status,
    total_amount: toCents(row.total_amount) / 100,
    shipping_address: row.shipping_address,
    payment_id: row.payment_id,
    items: items.map((i) => ({ ...i, price: toCents(i.price) / 100 })),
    cancel_reason: row.cancel_reason,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** The total in integer cents, from the catalog's prices. */
export const totalCents = (items: Array<{ price: number; quantity: number }>): number =>
  items.reduce((sum, i) => sum + toCents(i.price) * i.quantity, 0);

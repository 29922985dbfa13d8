// The public API's shapes (SPEC.md), as the browser reads them.

export interface Product {
  id: number;
  name: string;
  description: string;
  price: number;
  category: string;
  stock_quantity: number;
  image_url: string | null;
  thumbnail_url?: string | null;
  sku: string;
  created_at: string;
  updated_at: string;
}

export interface Category {
  name: string;
  product_count: number;
}

export type OrderStatus = 'pending' | 'processing' | 'shipped' | 'delivered' | 'cancelled';

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postal_code?: string;
  country: string;
}

export interface Order {
  id: number;
  user_id: number;
  status: OrderStatus;
  total_amount: number;
  shipping_address: Address;
  payment_id: string | null;
  items: Array<{ product_id: number; product_name: string; quantity: number; price: number }>;
  cancel_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface Payment {
  id: number;
  order_id: number;
  amount: number;
  payment_method: string;
  status: 'pending' | 'succeeded' | 'failed' | 'refunded' | 'partially_refunded';
  refunded_amount: number;
  created_at: string;
}

/** A checkout whose card was declined is recorded as a cancelled order, but for the customer it never was one. */
export const isDeclinedAttempt = (o: Order) => o.status === 'cancelled' && o.cancel_reason === 'payment_declined';

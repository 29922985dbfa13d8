import { useSyncExternalStore } from 'react';
import type { Product } from '../shared/types.ts';

/** A cart line as the browser keeps it; name and price are what was shown, the catalog's word wins at checkout. */
export interface CartLine {
  product_id: number;
  name: string;
  price: number;
  image_url: string | null;
  quantity: number;
}

const KEY = 'emporium.cart';
const MAX_QUANTITY = 1000;
const listeners = new Set<() => void>();

function read(): CartLine[] {
  try {
    const lines = JSON.parse(localStorage.getItem(KEY) ?? '[]') as CartLine[];
    return Array.isArray(lines) ? lines.filter((l) => Number.isInteger(l.product_id) && l.quantity > 0) : [];
  } catch {
    return [];
  }
}

let lines = read();

function save(next: CartLine[]): void {
  lines = next;
  localStorage.setItem(KEY, JSON.stringify(next));
  listeners.forEach((l) => l());
}

window.addEventListener('storage', (e) => {
  if (e.key !== KEY) return;
  lines = read();
  listeners.forEach((l) => l());
});

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export const useCart = () => useSyncExternalStore(subscribe, () => lines);

export function addToCart(product: Product, quantity = 1): void {
  const found = lines.find((l) => l.product_id === product.id);
  const wanted = Math.min(MAX_QUANTITY, (found?.quantity ?? 0) + quantity);
  const line = {
    product_id: product.id,
    name: product.name,
    price: product.price,
    image_url: product.thumbnail_url ?? product.image_url,
    quantity: wanted,
  };
  save(found ? lines.map((l) => (l.product_id === product.id ? line : l)) : [...lines, line]);
}

export function setQuantity(productId: number, quantity: number): void {
  if (quantity <= 0) return removeFromCart(productId);
  save(lines.map((l) => (l.product_id === productId ? { ...l, quantity: Math.min(MAX_QUANTITY, quantity) } : l)));
}

export const removeFromCart = (productId: number) => save(lines.filter((l) => l.product_id !== productId));
export const clearCart = () => save([]);
export const cartCount = (cart: CartLine[]) => cart.reduce((n, l) => n + l.quantity, 0);
/** In whole cents, as the API computes. */
export const cartTotal = (cart: CartLine[]) =>
  cart.reduce((c, l) => c + Math.round(l.price * 100) * l.quantity, 0) / 100;

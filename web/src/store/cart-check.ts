import { useQueries } from '@tanstack/react-query';
import { api, ApiError } from '../shared/api.ts';
import type { Product } from '../shared/types.ts';
import type { CartLine } from './cart.ts';

export interface CheckedLine extends CartLine {
  /** The catalog's current product; undefined while loading, null when it no longer exists. */
  product: Product | null | undefined;
  problem?: string;
}

/** Each cart line against the catalog's current price and stock (refetched on every visit). */
export function useCheckedCart(cart: CartLine[]) {
  const results = useQueries({
    queries: cart.map((line) => ({
      queryKey: ['product', String(line.product_id)],
      queryFn: async () => {
        try {
          return await api<Product>(`/api/products/${line.product_id}`);
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) return null;
          throw err;
        }
      },
      staleTime: 0,
    })),
  });
  const lines: CheckedLine[] = cart.map((line, i) => {
    const product = results[i]?.data;
    let problem: string | undefined;
    if (product === null) problem = 'This product is no longer sold.';
    else if (product && product.stock_quantity <= 0) problem = 'Out of stock.';
    else if (product && product.stock_quantity < line.quantity) problem = `Only ${product.stock_quantity} left.`;
    return { ...line, price: product?.price ?? line.price, product, problem };
  });
  return {
    lines,
    isChecking: results.some((r) => r.isPending),
    error: results.find((r) => r.error)?.error,
    isOk: results.every((r) => r.isSuccess) && lines.every((l) => !l.problem),
  };
}

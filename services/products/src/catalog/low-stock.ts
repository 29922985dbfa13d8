import { Counter, type Registry } from '@emporium/kit';
import { crossesLowStock, toProduct, type Product, type ProductItem } from './product.ts';

/** Where a low-stock alert goes; the event work will publish from here. */
export type LowStockHook = (product: Product, threshold: number) => void | Promise<void>;

export interface LowStockWatch {
  check(before: number, after: ProductItem): void;
}

export function createLowStockWatch(
  globalThreshold: number,
  registry: Registry,
  hook: LowStockHook,
  log: { warn(obj: object, msg: string): void },
): LowStockWatch {
  const alerts = new Counter({
    name: 'emporium_products_low_stock_alerts_total',
    help: 'Times a product fell to or below its low-stock threshold',
    labelNames: ['category'],
    registers: [registry],
  });
  return {
    check(before, after) {
      const threshold = after.low_stock_threshold ?? globalThreshold;
      if (!crossesLowStock(before, after.stock_quantity, threshold)) return;
      alerts.inc({ category: after.category });
      // An alert must never fail the stock change that raised it; a failed alert is logged, not thrown.
      void Promise.resolve()
        .then(() => hook(toProduct(after), threshold))
        .catch((err: unknown) =>
          log.warn({ product_id: after.id, err: (err as Error).message }, 'low-stock alert failed'),
        );
    },
  };
}

import { createServiceClient, DomainError, type Registry, type ServiceCredential } from '@emporium/kit';
import type { OrderItem } from '../orders/order.ts';

export type ReserveOutcome =
  { reserved: OrderItem[] } | { refused: { code: string; detail: string; product_id?: number; available?: number } };

/** The product service's internal reservation API; every call is idempotent per order id, so retries are safe. */
export function createCatalogClient(options: {
  baseUrl: string;
  timeoutMs: number;
  registry: Registry;
  /** Orders' own credential: these internal routes accept only the order service. */
  credential: ServiceCredential;
}) {
  const http = createServiceClient({ target: 'products', ...options });
  const unavailable = (status: number) =>
    new DomainError('catalog_unavailable', 'unavailable', `The catalog answered ${status}; try again shortly.`, {
      retryAfterSeconds: 2,
    });

  return {
    async reserve(orderId: number, lines: Array<{ product_id: number; quantity: number }>): Promise<ReserveOutcome> {
      const res = await http.json<{
        lines: OrderItem[];
        code?: string;
        detail?: string;
        product_id?: number;
        available?: number;
      }>({
        method: 'POST',
        path: '/internal/reservations',
        body: { order_id: orderId, lines },
        idempotent: true,
      });
      if (res.statusCode === 200) return { reserved: res.body.lines };
      if (res.statusCode === 409)
        return {
          refused: {
            code: res.body.code ?? 'conflict',
            detail: res.body.detail ?? 'not available',
            ...(res.body.product_id ? { product_id: res.body.product_id } : {}),
            ...(res.body.available !== undefined ? { available: res.body.available } : {}),
          },
        };
      throw unavailable(res.statusCode);
    },
    /** The held stock becomes sold; `refused` when the reservation is no longer there to sell (expired, released). */
    async commit(orderId: number): Promise<'committed' | 'refused'> {
      const res = await http.request({
        method: 'POST',
        path: `/internal/reservations/${orderId}/commit`,
        idempotent: true,
      });
      if (res.statusCode === 200) return 'committed';
      if (res.statusCode === 409 || res.statusCode === 404) return 'refused';
      throw unavailable(res.statusCode);
    },
    /** The order shipped: the catalog forgets the order's holds and the stock stays sold. */
    async finalize(orderId: number): Promise<void> {
      const res = await http.request({
        method: 'POST',
        path: `/internal/reservations/${orderId}/finalize`,
        idempotent: true,
      });
      if (res.statusCode !== 200 && res.statusCode !== 404) throw unavailable(res.statusCode);
    },
    /** Gives the order's stock back; a reservation that never existed is nothing to give back. */
    async release(orderId: number): Promise<void> {
      const res = await http.request({
        method: 'POST',
        path: `/internal/reservations/${orderId}/release`,
        idempotent: true,
      });
      if (res.statusCode !== 200 && res.statusCode !== 404) throw unavailable(res.statusCode);
    },
    close: () => http.close(),
  };
}

export type CatalogClient = ReturnType<typeof createCatalogClient>;

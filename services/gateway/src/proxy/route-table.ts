import type { GatewayConfig } from '../config.ts';

export interface Upstream {
  name: string;
  prefix: string;
  baseUrl: string;
}

/** Public prefixes and the service behind each; anything else (e.g. /internal/*) is never routed. */
export function routeTable(config: GatewayConfig): Upstream[] {
  return [
    { name: 'users', prefix: '/api/users', baseUrl: config.usersUrl },
    { name: 'products', prefix: '/api/products', baseUrl: config.productsUrl },
    { name: 'orders', prefix: '/api/orders', baseUrl: config.ordersUrl },
    { name: 'notifications', prefix: '/api/notifications', baseUrl: config.notificationsUrl },
    { name: 'payments', prefix: '/api/payments', baseUrl: config.paymentsUrl },
    { name: 'analytics', prefix: '/api/analytics', baseUrl: config.analyticsUrl },
  ];
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);
// Identity headers are only ever set by the gateway itself.
const GATEWAY_OWNED = new Set([
  'x-user-id',
  'x-user-role',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-request-id',
]);

export function forwardableRequestHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || GATEWAY_OWNED.has(name)) continue;
    out[name] = value;
  }
  return out;
}

export function forwardableResponseHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || name === 'x-request-id') continue;
    out[name] = value;
  }
  return out;
}

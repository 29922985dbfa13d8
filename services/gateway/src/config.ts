import { bool, int, loadConfig, oneOf, str, url, type ConfigOf } from '@emporium/kit';

const shape = {
  host: str('HOST', { default: '127.0.0.1' }),
  port: int('PORT', { default: 5000, min: 0, max: 65535 }),
  logLevel: oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace'], { default: 'info' }),
  usersUrl: url('USERS_URL', { default: 'http://127.0.0.1:5001' }),
  productsUrl: url('PRODUCTS_URL', { default: 'http://127.0.0.1:5002' }),
  ordersUrl: url('ORDERS_URL', { default: 'http://127.0.0.1:5003' }),
  notificationsUrl: url('NOTIFICATIONS_URL', { default: 'http://127.0.0.1:5004' }),
  paymentsUrl: url('PAYMENTS_URL', { default: 'http://127.0.0.1:5005' }),
  analyticsUrl: url('ANALYTICS_URL', { default: 'http://127.0.0.1:5006' }),
  /** Where access-token keys are published; defaults to the user service's JWKS. */
  jwksUrl: url('JWKS_URL', { optional: true }),
  rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', { default: 600, min: 0 }),
  redisUrl: str('REDIS_URL', { optional: true }),
  bodyLimitBytes: int('BODY_LIMIT_BYTES', { default: 1024 * 1024, min: 1024 }),
  upstreamTimeoutMs: int('UPSTREAM_TIMEOUT_MS', { default: 30_000, min: 100 }),
  /** Comma-separated origins allowed to call the API from a browser; empty means same-origin only. */
  corsOrigins: str('CORS_ORIGINS', { default: '' }),
  /** Set when a load balancer or ingress sits in front, so X-Forwarded-For names the client. */
  trustProxy: bool('TRUST_PROXY', { default: false }),
  exitWithParent: bool('EMPORIUM_EXIT_WITH_PARENT', { default: false }),
};

export type GatewayConfig = ConfigOf<typeof shape>;

export const readConfig = (env: Record<string, string | undefined> = process.env): GatewayConfig => loadConfig('gateway', shape, env);

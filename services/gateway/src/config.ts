import path from 'node:path';
import { bool, ConfigError, int, loadConfig, serverSettings, str, url, type ConfigOf } from '@emporium/kit';

const shape = {
  ...serverSettings(5000),
  /** The gateway's own /metrics listens here, never on the public port; bind it where only Prometheus reaches. */
  metricsPort: int('METRICS_PORT', { default: 5100, min: 0, max: 65535 }),
  metricsHost: str('METRICS_HOST', { default: '127.0.0.1' }),
  usersUrl: url('USERS_URL', { default: 'http://127.0.0.1:5001' }),
  productsUrl: url('PRODUCTS_URL', { default: 'http://127.0.0.1:5002' }),
  ordersUrl: url('ORDERS_URL', { default: 'http://127.0.0.1:5003' }),
  notificationsUrl: url('NOTIFICATIONS_URL', { default: 'http://127.0.0.1:5004' }),
  paymentsUrl: url('PAYMENTS_URL', { default: 'http://127.0.0.1:5005' }),
  analyticsUrl: url('ANALYTICS_URL', { default: 'http://127.0.0.1:5006' }),
  /** The images bucket /assets/* is served from (the local S3 server); unset where CloudFront serves the assets. */
  assetsOriginUrl: url('ASSETS_ORIGIN_URL', { optional: true }),
  /** Where access-token keys are published; defaults to the user service's JWKS. */
  jwksUrl: url('JWKS_URL', { optional: true }),
  rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', { default: 600, min: 0 }),
  redisUrl: str('REDIS_URL', { optional: true }),
  bodyLimitBytes: int('BODY_LIMIT_BYTES', { default: 1024 * 1024, min: 1024 }),
  upstreamTimeoutMs: int('UPSTREAM_TIMEOUT_MS', { default: 30_000, min: 100 }),
  /**
   * Load shedding (docs/decisions/0014-load-shedding.md): requests in flight to one service beyond which its routes
   * answer 503 at once (the 64 connections per service: none waits for one); fewer while even its fastest answers
   * take longer than the latency target; and the event-loop delay beyond which the gateway itself is too busy.
   * 0 turns each off.
   */
  maxInFlightPerService: int('MAX_IN_FLIGHT_PER_SERVICE', { default: 64, min: 0 }),
  shedLatencyTargetMs: int('SHED_LATENCY_TARGET_MS', { default: 2_000, min: 0 }),
  maxEventLoopDelayMs: int('MAX_EVENT_LOOP_DELAY_MS', { default: 200, min: 0 }),
  /** Comma-separated origins (scheme://host[:port]) allowed to call the API from a browser; empty = same origin. */
  corsOrigins: str('CORS_ORIGINS', { default: '' }),
  /** Set when a load balancer or ingress sits in front, so X-Forwarded-For names the client. */
  trustProxy: bool('TRUST_PROXY', { default: false }),
  /** The built web UI (storefront and admin console); the repository's web/dist unless set. Absent = API only. */
  webDir: str('WEB_DIR', { default: path.resolve(import.meta.dirname, '../../../web/dist') }),
  exitWithParent: bool('EMPORIUM_EXIT_WITH_PARENT', { default: false }),
};

export type GatewayConfig = ConfigOf<typeof shape>;

export function readConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const config = loadConfig('gateway', shape, env);
  const problems = corsOriginProblems(config.corsOrigins);
  if (problems.length > 0) throw new ConfigError('gateway', problems);
  return config;
}

export const corsOriginList = (value: string): string[] =>
  value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);

// An allow-list only: `*` would let any site call the API, and a browser never sends credentials to it anyway.
function corsOriginProblems(value: string): string[] {
  return corsOriginList(value).flatMap((origin) => {
    if (origin === '*') return ['CORS_ORIGINS must list origins; "*" is not allowed'];
    const parsed = URL.canParse(origin) ? new URL(origin) : undefined;
    const ok = parsed && (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.origin === origin;
    return ok ? [] : [`CORS_ORIGINS entry "${origin}" must be an origin like https://shop.example.com (no path)`];
  });
}

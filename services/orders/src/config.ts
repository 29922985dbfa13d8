import { bool, databaseTimeoutSettings, int, loadConfig, oneOf, str, url, type ConfigOf } from '@emporium/kit';

const shape = {
  host: str('HOST', { default: '127.0.0.1' }),
  port: int('PORT', { default: 5003, min: 0, max: 65535 }),
  logLevel: oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace'], { default: 'info' }),
  databaseUrl: str('DATABASE_URL'),
  databasePoolSize: int('DATABASE_POOL_SIZE', { default: 20, min: 1, max: 200 }),
  ...databaseTimeoutSettings(),
  productsUrl: url('PRODUCTS_URL', { default: 'http://127.0.0.1:5002' }),
  paymentsUrl: url('PAYMENTS_URL', { default: 'http://127.0.0.1:5005' }),
  /** The design's service-to-service timeout. */
  serviceTimeoutMs: int('SERVICE_TIMEOUT_MS', { default: 5_000, min: 100 }),
  kafkaBrokers: str('KAFKA_BROKERS', { default: '127.0.0.1:9092' }),
  jwksUrl: url('JWKS_URL', { default: 'http://127.0.0.1:5001/.well-known/jwks.json' }),
  /** How often unfinished work (pending payments, releases, refunds after a crash) is picked up again. */
  reconcileSeconds: int('RECONCILE_SECONDS', { default: 15, min: 1 }),
  exitWithParent: bool('EMPORIUM_EXIT_WITH_PARENT', { default: false }),
};

export type OrdersConfig = ConfigOf<typeof shape>;

export const readConfig = (env: Record<string, string | undefined> = process.env): OrdersConfig => loadConfig('orders', shape, env);

export const readMigrationConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig('orders-migrate', { databaseUrl: str('DATABASE_URL') }, env);

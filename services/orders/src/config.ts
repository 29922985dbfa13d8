import {
  bool,
  int,
  loadConfig,
  parsed,
  parseServicePrivateKey,
  str,
  url,
  type ConfigOf,
  serverSettings,
  databaseSettings,
} from '@emporium/kit';
import { flagSettings } from '@emporium/kit';

const shape = {
  ...serverSettings(5003),
  ...databaseSettings(20),
  productsUrl: url('PRODUCTS_URL', { default: 'http://127.0.0.1:5002' }),
  paymentsUrl: url('PAYMENTS_URL', { default: 'http://127.0.0.1:5005' }),
  /** The design's service-to-service timeout. */
  serviceTimeoutMs: int('SERVICE_TIMEOUT_MS', { default: 5_000, min: 100 }),
  kafkaBrokers: str('KAFKA_BROKERS', { default: '127.0.0.1:9092' }),
  /** The design's Kafka producer timeout. */
  kafkaTimeoutMs: int('KAFKA_TIMEOUT_MS', { default: 10_000, min: 100 }),
  jwksUrl: url('JWKS_URL', { default: 'http://127.0.0.1:5001/.well-known/jwks.json' }),
  /** This service's Ed25519 key (PKCS#8 PEM): it signs the calls to the products and payments internal APIs. */
  servicePrivateKey: parsed('SERVICE_PRIVATE_KEY', parseServicePrivateKey, { secret: true }),
  /** How often recovery looks for checkouts that are due again (interrupted, or waiting for a retry). */
  recoveryIntervalMs: int('RECOVERY_INTERVAL_MS', { default: 1_000, min: 50 }),
  /** A runner owns an order this long per step run; a runner that died loses it after this. */
  sagaLeaseSeconds: int('SAGA_LEASE_SECONDS', { default: 60, min: 1 }),
  /** Backoff of a failed checkout step: first delay and cap. */
  sagaRetryBaseMs: int('SAGA_RETRY_BASE_MS', { default: 1_000, min: 10 }),
  sagaRetryMaxMs: int('SAGA_RETRY_MAX_MS', { default: 300_000, min: 10 }),
  /** Attempts of one step before the order is given up (cancelled, refunded, stock released). */
  sagaMaxAttempts: int('SAGA_MAX_ATTEMPTS', { default: 8, min: 1 }),
  /** Attempts of one compensation before the order is parked for an operator. */
  sagaMaxCompensationAttempts: int('SAGA_MAX_COMPENSATION_ATTEMPTS', { default: 50, min: 1 }),
  /** The catalog's reservation lifetime (products' RESERVATION_TTL_SECONDS): no step is retried past it. */
  reservationTtlSeconds: int('RESERVATION_TTL_SECONDS', { default: 900, min: 1 }),
  /** How long a repeated Idempotency-Key waits for the request holding it, and a cancel for a busy order. */
  checkoutWaitMs: int('CHECKOUT_WAIT_MS', { default: 20_000, min: 0 }),
  exitWithParent: bool('EMPORIUM_EXIT_WITH_PARENT', { default: false }),
  /** FLAGS_FILE, FLAGS_POLL_MS and the environment that refuses them (docs/failure-flags.md). */
  ...flagSettings,
};

export type OrdersConfig = ConfigOf<typeof shape>;

export const readConfig = (env: Record<string, string | undefined> = process.env): OrdersConfig =>
  loadConfig('orders', shape, env);

export const readMigrationConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig('orders-migrate', { databaseUrl: str('DATABASE_URL') }, env);

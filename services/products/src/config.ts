import { bool, int, loadConfig, oneOf, parsed, parseTrustedServiceKeys, str, url, type ConfigOf } from '@emporium/kit';
import { flagSettings } from '@emporium/kit';

const shape = {
  host: str('HOST', { default: '127.0.0.1' }),
  port: int('PORT', { default: 5002, min: 0, max: 65535 }),
  logLevel: oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace'], { default: 'info' }),
  /** The design's health-check timeout: a readiness check slower than this counts as down. */
  healthTimeoutMs: int('HEALTH_TIMEOUT_MS', { default: 3_000, min: 100 }),
  /** A DynamoDB-compatible endpoint (the local platform's dynalite); unset on AWS, where the SDK finds DynamoDB itself. */
  dynamodbEndpoint: url('DYNAMODB_ENDPOINT', { optional: true }),
  awsRegion: str('AWS_REGION', { default: 'us-east-1' }),
  tablePrefix: str('DYNAMODB_TABLE_PREFIX', { default: '' }),
  /** Connect and request timeout for DynamoDB (design: service → database 10 s). */
  dynamodbTimeoutMs: int('DYNAMODB_TIMEOUT_MS', { default: 10_000, min: 100 }),
  redisUrl: str('REDIS_URL', { optional: true }),
  cacheTtlSeconds: int('CACHE_TTL_SECONDS', { default: 3600, min: 1 }),
  /** `auto`: Redis when REDIS_URL is set, else in this process; `off`: no cache. */
  cacheMode: oneOf('PRODUCT_CACHE', ['auto', 'off'], { default: 'auto' }),
  lowStockThreshold: int('LOW_STOCK_THRESHOLD', { default: 5, min: 0 }),
  /** A reservation not committed within this time is released by the sweeper (the order never completed). */
  reservationTtlSeconds: int('RESERVATION_TTL_SECONDS', { default: 900, min: 10 }),
  sweepIntervalSeconds: int('RESERVATION_SWEEP_SECONDS', { default: 60, min: 1 }),
  jwksUrl: url('JWKS_URL', { default: 'http://127.0.0.1:5001/.well-known/jwks.json' }),
  /** Public keys of the services that may call internal routes: `{"orders": <Ed25519 public JWK>}`. */
  trustedServiceKeys: parsed('SERVICE_TRUSTED_KEYS', parseTrustedServiceKeys),
  /** Load the demo catalog when the products table is empty (the local platform turns this on). */
  seedDemoCatalog: bool('SEED_DEMO_CATALOG', { default: false }),
  exitWithParent: bool('EMPORIUM_EXIT_WITH_PARENT', { default: false }),
  /** FLAGS_FILE, FLAGS_POLL_MS and the environment that refuses them (docs/failure-flags.md). */
  ...flagSettings,
};

export type ProductsConfig = ConfigOf<typeof shape>;

export const readConfig = (env: Record<string, string | undefined> = process.env): ProductsConfig =>
  loadConfig('products', shape, env);

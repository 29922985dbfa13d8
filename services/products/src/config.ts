import {
  bool,
  int,
  loadConfig,
  oneOf,
  parsed,
  parseTrustedServiceKeys,
  serverSettings,
  str,
  url,
  type ConfigOf,
} from '@emporium/kit';
import { flagSettings } from '@emporium/kit';

const shape = {
  ...serverSettings(5002),
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
  /** Product images (decision 0018): the bucket uploads go to, and the public base its derived images are served from. */
  imagesBucket: str('IMAGES_BUCKET', { default: 'emporium-product-images' }),
  assetsBaseUrl: url('ASSETS_BASE_URL', { default: 'http://127.0.0.1:5000/assets' }),
  /** An S3-compatible endpoint (the local platform's S3 server); unset on AWS. */
  s3Endpoint: url('S3_ENDPOINT', { optional: true }),
  /** Static keys for that endpoint; unset on AWS, where the default provider chain (IRSA) signs. */
  s3AccessKeyId: str('S3_ACCESS_KEY_ID', { optional: true }),
  s3SecretAccessKey: str('S3_SECRET_ACCESS_KEY', { optional: true, secret: true }),
  imageUploadMaxBytes: int('IMAGE_UPLOAD_MAX_BYTES', { default: 10 * 1024 * 1024, min: 1 }),
  imageUploadExpiresSeconds: int('IMAGE_UPLOAD_EXPIRES_SECONDS', { default: 300, min: 10, max: 3600 }),
  /** Load the demo catalog when the products table is empty (the local platform turns this on). */
  seedDemoCatalog: bool('SEED_DEMO_CATALOG', { default: false }),
  exitWithParent: bool('EMPORIUM_EXIT_WITH_PARENT', { default: false }),
  /** FLAGS_FILE, FLAGS_POLL_MS and the environment that refuses them (docs/failure-flags.md). */
  ...flagSettings,
};

export type ProductsConfig = ConfigOf<typeof shape>;

export const readConfig = (env: Record<string, string | undefined> = process.env): ProductsConfig =>
  loadConfig('products', shape, env);

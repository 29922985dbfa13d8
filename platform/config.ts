import path from 'node:path';
import { int, loadConfig, str } from '@emporium/kit';

const root = path.resolve(import.meta.dirname, '..');

const shape = {
  dataDir: str('EMPORIUM_DATA_DIR', { default: path.join(root, '.data') }),
  postgresPort: int('EMPORIUM_PG_PORT', { default: 15432, min: 1024, max: 32767 }),
  /** Point the users service at an existing PostgreSQL instead of the embedded one. */
  usersDatabaseUrl: str('USERS_DATABASE_URL', { optional: true }),
  paymentsDatabaseUrl: str('PAYMENTS_DATABASE_URL', { optional: true }),
  ordersDatabaseUrl: str('ORDERS_DATABASE_URL', { optional: true }),
  analyticsDatabaseUrl: str('ANALYTICS_DATABASE_URL', { optional: true }),
  notificationsDatabaseUrl: str('NOTIFICATIONS_DATABASE_URL', { optional: true }),
  adminEmail: str('ADMIN_EMAIL', { default: 'admin@emporium.local' }),
  adminPassword: str('ADMIN_PASSWORD', { default: 'emporium-admin' }),
  rateLimitPerMinute: str('RATE_LIMIT_PER_MINUTE', { default: '600' }),
  redisUrl: str('REDIS_URL', { optional: true }),
  redisPort: int('EMPORIUM_REDIS_PORT', { default: 16379, min: 1024, max: 32767 }),
  /** Point the products service at DynamoDB (or another DynamoDB API) instead of the embedded dynalite. */
  dynamodbEndpoint: str('DYNAMODB_ENDPOINT', { optional: true }),
  dynamodbPort: int('EMPORIUM_DYNAMODB_PORT', { default: 18000, min: 1024, max: 32767 }),
  /** Use an existing Kafka cluster (MSK) instead of the embedded broker: comma-separated host:port. */
  kafkaBrokers: str('KAFKA_BROKERS', { optional: true }),
  kafkaPort: int('EMPORIUM_KAFKA_PORT', { default: 9092, min: 1024, max: 32767 }),
  kafkaReplicationFactor: int('KAFKA_REPLICATION_FACTOR', { default: 1, min: 1, max: 5 }),
  /** Mailpit: the SMTP server every mail goes to locally, and its web inbox and API. */
  smtpPort: int('EMPORIUM_SMTP_PORT', { default: 1025, min: 1024, max: 32767 }),
  mailpitPort: int('EMPORIUM_MAILPIT_PORT', { default: 8025, min: 1024, max: 32767 }),
  /** Our inbox page over Mailpit's API (Mailpit from `go install` has no web UI of its own). */
  mailInboxPort: int('EMPORIUM_MAIL_INBOX_PORT', { default: 8026, min: 1024, max: 32767 }),
  /** The local S3 API (s3rver) holding product images, and the Lambda emulator running the image function. */
  s3Port: int('EMPORIUM_S3_PORT', { default: 19000, min: 1024, max: 32767 }),
  lambdaPort: int('EMPORIUM_LAMBDA_PORT', { default: 19001, min: 1024, max: 32767 }),
  imagesBucket: str('IMAGES_BUCKET', { default: 'emporium-product-images' }),
  gatewayPort: int('GATEWAY_PORT', { default: 5000 }),
  /** The gateway's own /metrics, kept off the public port. */
  gatewayMetricsPort: int('GATEWAY_METRICS_PORT', { default: 5100 }),
  usersPort: int('USERS_PORT', { default: 5001 }),
  productsPort: int('PRODUCTS_PORT', { default: 5002 }),
  paymentsPort: int('PAYMENTS_PORT', { default: 5005 }),
  ordersPort: int('ORDERS_PORT', { default: 5003 }),
  analyticsPort: int('ANALYTICS_PORT', { default: 5006 }),
  /** The Flink analytics job (`off` skips it: it needs about 1 GB and half a minute to start). */
  analyticsJob: str('EMPORIUM_ANALYTICS_JOB', { default: 'on' }),
  /** Where the job keeps checkpoints, results and the raw-event lake: file:// (default .data/analytics) or gs://. */
  analyticsStorageUrl: str('ANALYTICS_STORAGE_URL', { optional: true }),
  analyticsCheckpointMs: int('ANALYTICS_CHECKPOINT_INTERVAL_MS', { default: 10_000, min: 1_000, max: 3_600_000 }),
  analyticsMetricsPort: int('ANALYTICS_METRICS_PORT', { default: 5106 }),
  analyticsRestPort: int('ANALYTICS_REST_PORT', { default: 8081 }),
  analyticsBlobPort: int('ANALYTICS_BLOB_PORT', { default: 6124 }),
  notificationsPort: int('NOTIFICATIONS_PORT', { default: 5004 }),
  logLevel: str('LOG_LEVEL', { default: 'info' }),
  /** Passed through to the users service; tests lower it to keep hashing fast. */
  bcryptCost: str('BCRYPT_COST', { optional: true }),
  /** `production` in either refuses failure flags in every service (docs/failure-flags.md). */
  nodeEnv: str('NODE_ENV', { optional: true }),
  emporiumEnv: str('EMPORIUM_ENV', { optional: true }),
};

export type PlatformConfig = ReturnType<typeof readPlatformConfig>;

export const readPlatformConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig('platform', shape, env);

export const repoRoot = root;

import {
  bool,
  int,
  loadConfig,
  parsed,
  parseTrustedServiceKeys,
  str,
  type ConfigOf,
  serverSettings,
  databaseSettings,
} from '@emporium/kit';

const shape = {
  ...serverSettings(5001),
  ...databaseSettings(10),
  /** Connections opened at start and kept, so a burst does not wait on new SCRAM handshakes. */
  databasePoolMin: int('DATABASE_POOL_MIN', { default: 2, min: 0, max: 100 }),
  /** Ed25519 private key (PKCS#8 PEM) that signs access tokens; its public half is served as JWKS. */
  jwtPrivateKey: str('JWT_PRIVATE_KEY'),
  accessTokenTtlSeconds: int('ACCESS_TOKEN_TTL_SECONDS', { default: 900, min: 30, max: 86_400 }),
  refreshTokenTtlSeconds: int('REFRESH_TOKEN_TTL_SECONDS', { default: 30 * 86_400, min: 60 }),
  resetTokenTtlSeconds: int('RESET_TOKEN_TTL_SECONDS', { default: 3_600, min: 60 }),
  bcryptCost: int('BCRYPT_COST', { default: 12, min: 4, max: 15 }),
  /** bcrypt runs at most this many at once, below libuv's thread pool size (UV_THREADPOOL_SIZE, 4). */
  bcryptConcurrency: int('BCRYPT_CONCURRENCY', { default: 2, min: 1, max: 64 }),
  loginMaxFailures: int('LOGIN_MAX_FAILURES', { default: 5, min: 1 }),
  loginWindowSeconds: int('LOGIN_WINDOW_SECONDS', { default: 900, min: 1 }),
  loginLockSeconds: int('LOGIN_LOCK_SECONDS', { default: 900, min: 1 }),
  adminEmail: str('ADMIN_EMAIL', { optional: true }),
  adminPassword: str('ADMIN_PASSWORD', { optional: true }),
  /** Who may call the internal routes (today: notifications, for recipients); none when unset. */
  trustedServiceKeys: parsed('SERVICE_TRUSTED_KEYS', parseTrustedServiceKeys, { default: {} }),
  /** Password-reset requests leave through the outbox to the notification service over Kafka. */
  kafkaBrokers: str('KAFKA_BROKERS', { default: '127.0.0.1:9092' }),
  kafkaTimeoutMs: int('KAFKA_TIMEOUT_MS', { default: 10_000, min: 100 }),
  exitWithParent: bool('EMPORIUM_EXIT_WITH_PARENT', { default: false }),
};

export type UsersConfig = ConfigOf<typeof shape>;

export const readConfig = (env: Record<string, string | undefined> = process.env): UsersConfig =>
  loadConfig('users', shape, env);

/** The migration script needs only the database. */
export const readMigrationConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig('users-migrate', { databaseUrl: str('DATABASE_URL') }, env);

import { bool, databaseSettings, int, loadConfig, serverSettings, str, url, type ConfigOf } from '@emporium/kit';

const shape = {
  ...serverSettings(5006),
  ...databaseSettings(10, 2),
  kafkaBrokers: str('KAFKA_BROKERS', { default: '127.0.0.1:9092' }),
  /** The design's Kafka producer timeout (dead letters). */
  kafkaTimeoutMs: int('KAFKA_TIMEOUT_MS', { default: 10_000, min: 100 }),
  /** Every replica joins this group, so each result is stored by one of them. */
  kafkaGroupId: str('KAFKA_GROUP_ID', { default: 'analytics-api' }),
  jwksUrl: url('JWKS_URL', { default: 'http://127.0.0.1:5001/.well-known/jwks.json' }),
  /** A comment line on every open stream this often, so proxies and load balancers keep it open. */
  streamHeartbeatMs: int('STREAM_HEARTBEAT_MS', { default: 15_000, min: 100, max: 600_000 }),
  /** Open streams per replica; one more is refused with 503. */
  streamMaxClients: int('STREAM_MAX_CLIENTS', { default: 100, min: 1, max: 10_000 }),
  exitWithParent: bool('EMPORIUM_EXIT_WITH_PARENT', { default: false }),
};

export type AnalyticsConfig = ConfigOf<typeof shape>;

export const readConfig = (env: Record<string, string | undefined> = process.env): AnalyticsConfig =>
  loadConfig('analytics', shape, env);

export const readMigrationConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig('analytics-migrate', { databaseUrl: str('DATABASE_URL') }, env);

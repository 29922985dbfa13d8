import { createPool, readConfigOrExit, runService } from '@emporium/kit';
import { startOutboxPublishing } from '@emporium/messaging';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';

const config = readConfigOrExit(readConfig);
const pool = createPool(config.databaseUrl, config.databasePoolSize, {
  connectTimeoutMs: config.databaseConnectTimeoutMs,
  statementTimeoutMs: config.databaseStatementTimeoutMs,
});
const app = await buildApp(config, { pool });

// Order events leave through the outbox: a committed order always gets its events, Kafka up or not.
const outbox = await startOutboxPublishing({
  brokers: config.kafkaBrokers.split(','),
  clientId: 'orders',
  timeoutMs: config.kafkaTimeoutMs,
  databaseUrl: config.databaseUrl,
  registry: app.metrics,
  log: app.log,
  lockKey: 5003,
  flags: app.flags,
});

// Recovery finishes interrupted checkouts; one pass at a time, and never two on top of each other.
let recovering = false;
const recovery = setInterval(() => {
  if (recovering) return;
  recovering = true;
  app.recovery
    .recoverOnce()
    .catch((err: unknown) => app.log.warn({ err: (err as Error).message }, 'recovery pass failed; will retry'))
    .finally(() => (recovering = false));
}, config.recoveryIntervalMs);
recovery.unref();
const census = setInterval(() => {
  app.recovery.census().catch((err: unknown) => app.log.warn({ err: (err as Error).message }, 'saga census failed'));
}, 15_000);
census.unref();

await runService(app, {
  port: config.port,
  host: config.host,
  exitWithParent: config.exitWithParent,
  onShutdown: async () => {
    clearInterval(recovery);
    clearInterval(census);
    await outbox.stop();
    await pool.end();
  },
});

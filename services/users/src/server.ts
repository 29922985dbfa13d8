import { createPool, readConfigOrExit, runService, warmPool } from '@emporium/kit';
import { startOutboxPublishing } from '@emporium/messaging';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';

const config = readConfigOrExit(readConfig);

const pool = createPool(config.databaseUrl, config.databasePoolSize, {
  connectTimeoutMs: config.databaseConnectTimeoutMs,
  statementTimeoutMs: config.databaseStatementTimeoutMs,
  min: config.databasePoolMin,
});
await warmPool(pool, config.databasePoolMin);
const app = await buildApp(config, { pool });

// Reset links leave through the outbox: a recorded reset request always reaches the notification service.
const outbox = await startOutboxPublishing({
  brokers: config.kafkaBrokers.split(','),
  clientId: 'users',
  timeoutMs: config.kafkaTimeoutMs,
  databaseUrl: config.databaseUrl,
  registry: app.metrics,
  log: app.log,
  lockKey: 5001,
});

if (config.adminEmail && config.adminPassword) {
  const admin = await app.userService.bootstrapAdmin(config.adminEmail, config.adminPassword);
  app.log.info({ user_id: admin.id, created: admin.created }, 'admin account ensured');
}

await runService(app, {
  port: config.port,
  host: config.host,
  exitWithParent: config.exitWithParent,
  onShutdown: async () => {
    await outbox.stop();
    await pool.end();
  },
});

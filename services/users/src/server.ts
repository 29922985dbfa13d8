import { createPool, readConfigOrExit, runService, warmPool } from '@emporium/kit';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';

const config = readConfigOrExit(readConfig);

const pool = createPool(config.databaseUrl, config.databasePoolSize, {
  connectTimeoutMs: config.databaseConnectTimeoutMs,
  statementTimeoutMs: config.databaseStatementTimeoutMs,
  min: config.databasePoolMin,
});
await warmPool(pool, config.databasePoolMin);
const app = await buildApp(config, {
  pool,
  // Until the notification service exists, a reset request is only recorded; the token never reaches a log.
  notifier: {
    async passwordResetRequested({ userId, expiresAt }) {
      app.log.info(
        { user_id: userId, expires_at: expiresAt.toISOString() },
        'password reset requested; delivery awaits the notification service',
      );
    },
  },
});

if (config.adminEmail && config.adminPassword) {
  const admin = await app.userService.bootstrapAdmin(config.adminEmail, config.adminPassword);
  app.log.info({ user_id: admin.id, created: admin.created }, 'admin account ensured');
}

await runService(app, {
  port: config.port,
  host: config.host,
  exitWithParent: config.exitWithParent,
  onShutdown: () => pool.end(),
});

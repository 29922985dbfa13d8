import { createPool, readConfigOrExit, runService } from '@emporium/kit';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';

const config = readConfigOrExit(readConfig);
const pool = createPool(config.databaseUrl, config.databasePoolSize, {
  connectTimeoutMs: config.databaseConnectTimeoutMs,
  statementTimeoutMs: config.databaseStatementTimeoutMs,
});
const app = await buildApp(config, { pool });
await app.startWorkers();

await runService(app, {
  port: config.port,
  host: config.host,
  exitWithParent: config.exitWithParent,
  onShutdown: () => pool.end(),
});

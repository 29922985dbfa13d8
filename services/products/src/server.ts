import { createLogger, readConfigOrExit, runService, watchRedis } from '@emporium/kit';
import { Redis } from 'ioredis';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { seedDemoCatalog } from './seed.ts';
import { createDocumentClient, ensureTables, tableNames } from './store/dynamo.ts';

const config = readConfigOrExit(readConfig);

const db = createDocumentClient({
  endpoint: config.dynamodbEndpoint,
  region: config.awsRegion,
  timeoutMs: config.dynamodbTimeoutMs,
});
// Fail fast on a dead Redis: reads then go to the store instead of waiting.
const redis = config.redisUrl
  ? new Redis(config.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 250,
      connectTimeout: 1_000,
    })
  : undefined;
watchRedis(redis, createLogger('products', config.logLevel));
const app = await buildApp(config, { db, redis });
if (!redis && config.cacheMode === 'auto')
  app.log.warn('REDIS_URL is not set: product reads are cached in this process only');

// Creating tables is idempotent, so the service ensures them itself (IaC creates them on AWS).
const tables = tableNames(config.tablePrefix);
await ensureTables(db, tables);
if (config.seedDemoCatalog) {
  const loaded = await seedDemoCatalog(db, tables, app.productService);
  if (loaded) app.log.info({ products: loaded }, 'demo catalog loaded');
}

const sweeper = setInterval(() => {
  app.reservationService.releaseExpired().then(
    (n) => n && app.log.warn({ released: n }, 'released expired reservations'),
    (err: unknown) => app.log.error({ err }, 'reservation sweep failed'),
  );
}, config.sweepIntervalSeconds * 1000);
sweeper.unref();

await runService(app, {
  port: config.port,
  host: config.host,
  exitWithParent: config.exitWithParent,
  onShutdown: async () => {
    clearInterval(sweeper);
    redis?.disconnect();
    await db.destroy();
  },
});

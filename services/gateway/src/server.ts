import { createLogger, readConfigOrExit, runService, watchRedis } from '@emporium/kit';
import { Redis } from 'ioredis';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';

const config = readConfigOrExit(readConfig);

// Without Redis the rate limit is kept per replica, in memory.
const redis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false }) : undefined;
watchRedis(redis, createLogger('gateway', config.logLevel));
const app = await buildApp(config, { redis });

await runService(app, {
  port: config.port,
  host: config.host,
  exitWithParent: config.exitWithParent,
  onShutdown: async () => {
    redis?.disconnect();
  },
});

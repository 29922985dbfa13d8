import { createLogger, readConfigOrExit, runService, watchRedis } from '@emporium/kit';
import { Redis } from 'ioredis';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { buildMetricsServer } from './edge/metrics-server.ts';

const config = readConfigOrExit(readConfig);

// Without Redis the rate limit is kept per replica, in memory.
const redis = config.redisUrl
  ? new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false })
  : undefined;
watchRedis(redis, createLogger('gateway', config.logLevel));
const app = await buildApp(config, { redis });
const metrics = buildMetricsServer(app.metrics);
await metrics.listen({ port: config.metricsPort, host: config.metricsHost });

await runService(app, {
  port: config.port,
  host: config.host,
  exitWithParent: config.exitWithParent,
  onShutdown: async () => {
    await metrics.close();
    redis?.disconnect();
  },
});

import {
  buildServiceApp,
  createTokenVerifier,
  pingDatabase,
  type Pool,
  type ServiceApp,
  type TokenVerifier,
} from '@emporium/kit';
import type { DestinationStream } from 'pino';
import type { AnalyticsConfig } from './config.ts';
import { createReportRepository } from './reports/report-repository.ts';
import { reportRoutes } from './reports/report-routes.ts';
import { createReportService } from './reports/report-service.ts';
import { createResultRepository } from './results/result-repository.ts';
import { createResultService, type ResultService } from './results/result-service.ts';
import { createResultFeed } from './stream/result-feed.ts';
import { streamRoutes } from './stream/stream-routes.ts';

export interface AnalyticsDeps {
  pool: Pool;
  verify?: TokenVerifier;
  logStream?: DestinationStream;
}

export type AnalyticsApp = ServiceApp & { results: ResultService };

export async function buildApp(config: AnalyticsConfig, deps: AnalyticsDeps): Promise<AnalyticsApp> {
  const app = await buildServiceApp({
    service: 'analytics',
    logLevel: config.logLevel,
    logStream: deps.logStream,
    bodyLimitBytes: 16 * 1024,
    healthTimeoutMs: config.healthTimeoutMs,
    readinessChecks: { postgres: () => pingDatabase(deps.pool) },
  });
  const repository = createResultRepository(deps.pool);
  const results = createResultService({ results: repository, registry: app.metrics, log: app.log });
  const feed = await createResultFeed({ databaseUrl: config.databaseUrl, results: repository, log: app.log });
  app.addHook('onClose', () => feed.close());
  const verify = deps.verify ?? createTokenVerifier({ jwksUrl: config.jwksUrl });
  reportRoutes(app, createReportService(createReportRepository(deps.pool)), verify);
  streamRoutes(app, feed, verify, { heartbeatMs: config.streamHeartbeatMs, maxClients: config.streamMaxClients });
  return Object.assign(app, { results });
}

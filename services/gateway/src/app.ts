import cors from '@fastify/cors';
import {
  buildServiceApp,
  createServiceClient,
  createTokenVerifier,
  type ServiceApp,
  type TokenVerifier,
} from '@emporium/kit';
import type { Redis } from 'ioredis';
import type { DestinationStream } from 'pino';
import { corsOriginList, type GatewayConfig } from './config.ts';
import { docsRoutes } from './docs/docs-routes.ts';
import { identifyCaller, refuseBadToken } from './edge/edge-auth.ts';
import { installLoadShedding } from './edge/load-shed.ts';
import { installRateLimit } from './edge/rate-limit.ts';
import { requestShape } from './edge/request-shape.ts';
import { securityHeaders } from './edge/security-headers.ts';
import { assetsRoutes } from './proxy/assets-routes.ts';
import { proxyRoutes } from './proxy/proxy-routes.ts';
import { routeTable } from './proxy/route-table.ts';
import { loadWebFiles } from './web/web-files.ts';
import { webRoutes } from './web/web-routes.ts';

export interface GatewayDeps {
  redis?: Redis;
  verify?: TokenVerifier;
  logStream?: DestinationStream;
}

export async function buildApp(config: GatewayConfig, deps: GatewayDeps = {}): Promise<ServiceApp> {
  const app = await buildServiceApp({
    service: 'gateway',
    logLevel: config.logLevel,
    logStream: deps.logStream,
    bodyLimitBytes: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    metricsRoute: false,
    healthTimeoutMs: config.healthTimeoutMs,
    readinessChecks: deps.redis ? { redis: async () => (await deps.redis!.ping()) === 'PONG' } : {},
  });
  const upstreams = routeTable(config).map((u) => ({
    ...u,
    client: createServiceClient({
      target: u.name,
      baseUrl: u.baseUrl,
      timeoutMs: config.upstreamTimeoutMs,
      registry: app.metrics,
    }),
  }));
  app.addHook('onClose', async () => {
    await Promise.all(upstreams.map((u) => u.client.close()));
  });

  securityHeaders(app);
  // Before anything that costs: a refused request is not verified, counted or read.
  installLoadShedding(app, upstreams, {
    maxInFlightPerService: config.maxInFlightPerService,
    latencyTargetMs: config.shedLatencyTargetMs,
    maxEventLoopDelayMs: config.maxEventLoopDelayMs,
  });
  requestShape(app);
  const origins = corsOriginList(config.corsOrigins);
  if (origins.length > 0) {
    await app.register(cors, {
      origin: origins,
      credentials: false,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id'],
      exposedHeaders: ['x-request-id', 'retry-after'],
      maxAge: 600,
    });
  }

  // Order matters: who is calling, then the rate limit (route-level onRequest), then refusing a bad token.
  const verify =
    deps.verify ?? createTokenVerifier({ jwksUrl: config.jwksUrl ?? `${config.usersUrl}/.well-known/jwks.json` });
  identifyCaller(app, verify);
  await installRateLimit(app, config.rateLimitPerMinute, deps.redis);
  refuseBadToken(app);
  await docsRoutes(app, upstreams);
  proxyRoutes(app, upstreams);
  if (config.assetsOriginUrl) {
    assetsRoutes(app, {
      originUrl: config.assetsOriginUrl,
      timeoutMs: config.upstreamTimeoutMs,
      registry: app.metrics,
    });
  }
  const web = await loadWebFiles(config.webDir);
  if (web) webRoutes(app, web);
  else app.log.warn({ webDir: config.webDir }, 'no web UI build found: serving the API only');
  return app;
}

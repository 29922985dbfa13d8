import cors from '@fastify/cors';
import { buildServiceApp, createServiceClient, createTokenVerifier, type ServiceApp, type TokenVerifier } from '@emporium/kit';
import type { Redis } from 'ioredis';
import type { DestinationStream } from 'pino';
import type { GatewayConfig } from './config.ts';
import { docsRoutes } from './docs/docs-routes.ts';
import { edgeAuth } from './edge/edge-auth.ts';
import { installRateLimit } from './edge/rate-limit.ts';
import { securityHeaders } from './edge/security-headers.ts';
import { proxyRoutes } from './proxy/proxy-routes.ts';
import { routeTable } from './proxy/route-table.ts';

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
    readinessChecks: deps.redis ? { redis: async () => (await deps.redis!.ping()) === 'PONG' } : {},
  });
  const upstreams = routeTable(config).map((u) => ({
    ...u,
    client: createServiceClient({ target: u.name, baseUrl: u.baseUrl, timeoutMs: config.upstreamTimeoutMs, registry: app.metrics }),
  }));
  app.addHook('onClose', async () => {
    await Promise.all(upstreams.map((u) => u.client.close()));
  });

  // The gateway forwards bodies untouched; it only enforces the size limit. Services parse and validate.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  securityHeaders(app);
  const origins = config.corsOrigins.split(',').map((o) => o.trim()).filter(Boolean);
  if (origins.length > 0) {
    await app.register(cors, { origin: origins.includes('*') ? '*' : origins, exposedHeaders: ['x-request-id', 'retry-after'], maxAge: 600 });
  }

  const verify = deps.verify ?? createTokenVerifier({ jwksUrl: config.jwksUrl ?? `${config.usersUrl}/.well-known/jwks.json` });
  edgeAuth(app, verify);
  await installRateLimit(app, config.rateLimitPerMinute, deps.redis);
  await docsRoutes(app, upstreams);
  proxyRoutes(app, upstreams);
  return app;
}

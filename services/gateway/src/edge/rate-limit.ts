import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '@emporium/kit';
import type { Redis } from 'ioredis';

/** Per-client limit: by user for signed-in callers, else by address; shared across replicas when Redis is given. */
export async function installRateLimit(app: FastifyInstance, perMinute: number, redis?: Redis): Promise<void> {
  if (perMinute === 0) return;
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    max: perMinute,
    timeWindow: 60_000,
    ...(redis ? { redis, nameSpace: 'emporium:gateway:ratelimit:', skipOnError: true } : {}),
    keyGenerator: (req) => (req.identity ? `user:${req.identity.userId}` : `ip:${req.ip}`),
    allowList: (req) => req.url === '/health' || req.url === '/ready',
    errorResponseBuilder: (_req, ctx) =>
      new DomainError('rate_limited', 'rate_limited', `Too many requests: the limit is ${ctx.max} a minute.`, {
        retryAfterSeconds: Math.ceil(ctx.ttl / 1000),
      }),
  });
}

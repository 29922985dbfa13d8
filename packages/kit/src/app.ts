import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { DestinationStream } from 'pino';
import { requestContext } from './context.ts';
import { DomainError } from './errors.ts';
import { logDestination, loggerOptions } from './logger.ts';
import { createMetrics, instrumentHttp, type Registry } from './metrics.ts';
import { problemOf, toDomainError, TRANSIENT_RETRY_AFTER_SECONDS } from './problem.ts';
import { ProblemSchema } from './openapi.ts';
import { installValidators } from './validation.ts';

export interface ServiceAppOptions {
  service: string;
  logLevel?: string;
  /** Where JSON log lines go (stdout by default); tests pass a capture stream. */
  logStream?: DestinationStream;
  bodyLimitBytes?: number;
  /** Dependencies checked by GET /ready; each throws or returns false when not reachable. */
  readinessChecks?: Record<string, () => Promise<boolean | void>>;
  /** Each readiness check gets this long (the design's 3 s health-check timeout) before it counts as down. */
  healthTimeoutMs?: number;
  /** Trust X-Forwarded-For from the proxy in front (the gateway, or the ingress for the gateway). */
  trustProxy?: boolean | string;
  /** false: no GET /metrics on this listener (the gateway serves its metrics on a separate, private port). */
  metricsRoute?: boolean;
}

export type ServiceApp = FastifyInstance & { metrics: Registry };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const pathOf = (url: string): string => {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
};

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
    /** Set during shutdown so /ready fails and the load balancer drains us first. */
    draining: boolean;
  }
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers or URL too large, a malformed
 * request line) are answered as problem+json too, like every other error.
 */
function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'The request headers (or its URL) are too large.']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'The request took too long to arrive.']
        : [400, 'bad_request', 'The request is malformed.'];
  const title = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
  const type = `https://emporium.dev/problems/${code.replaceAll('_', '-')}`;
  const body = JSON.stringify({ type, title, status, detail, code });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/problem+json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

export async function buildServiceApp(options: ServiceAppOptions): Promise<ServiceApp> {
  const app = Fastify({
    logger: {
      ...loggerOptions(options.service, options.logLevel ?? 'info'),
      stream: options.logStream ?? logDestination(),
    },
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    // Path params are bounded by each route's schema (a push token may be 4096 characters), not by Fastify's
    // default of 100, whose 414 no route documents.
    routerOptions: { maxParamLength: 8192 },
    trustProxy: options.trustProxy ?? false,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Our own onResponse hook writes one line per request; Fastify's two default lines are turned off.
    logController: new LogController({ requestIdLogLabel: 'request_id', disableRequestLogging: true }),
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    ajv: { customOptions: { allErrors: true } },
    clientErrorHandler: answerClientError,
  }).withTypeProvider<TypeBoxTypeProvider>();

  installValidators(app);
  // Services speak JSON only: any other body is a 415, not a confusing validation error.
  app.removeContentTypeParser('text/plain');
  // Registered before any route so every route's schema lands in the service's OpenAPI document.
  // OpenAPI 3.1: its schemas are JSON Schema 2020-12, which is what the TypeBox route schemas are.
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `Emporium ${options.service} service`, version: '1.0.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    // Shared schemas keep their own name (`Problem`), so the gateway can merge every service's components.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json['$id'] === 'string' ? json['$id'] : `def-${i}`,
    },
  });
  app.addSchema(ProblemSchema);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.decorate('draining', false);
  app.decorateRequest('identity', null);
  const metrics = createMetrics(options.service);
  app.decorate('metrics', metrics);
  instrumentHttp(app, metrics);

  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    requestContext.run({ requestId: req.id, authorization: req.headers.authorization }, done);
  });

  // One request log line per response, with the facts an operator needs and nothing secret.
  app.addHook('onResponse', (req, reply, done) => {
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    const duration_ms = Math.round(reply.elapsedTime * 10) / 10;
    const line = { method: req.method, url: pathOf(req.url), status: reply.statusCode, duration_ms };
    req.log[level](line, 'request completed');
    done();
  });

  app.setErrorHandler((err, req, reply) => {
    const domain = toDomainError(err);
    const problem = problemOf(domain, req.url.split('?')[0]);
    if (problem.status >= 500) req.log.error({ err, code: domain.code }, 'request failed');
    // A 503 always says when to come back: what is unavailable now is expected back shortly.
    const retryAfter = domain.retryAfterSeconds ?? (problem.status === 503 ? TRANSIENT_RETRY_AFTER_SECONDS : undefined);
    if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    return reply.status(problem.status).type('application/problem+json').send(problem);
  });

  app.setNotFoundHandler((req, reply) => {
    const problem = problemOf(
      new DomainError('route_not_found', 'not_found', `No route for ${req.method} ${req.url.split('?')[0]}.`),
    );
    return reply.status(404).type('application/problem+json').send(problem);
  });

  app.get('/health', { logLevel: 'warn', schema: { hide: true } }, async () => ({
    status: 'ok',
    service: options.service,
  }));

  app.get('/ready', { logLevel: 'warn', schema: { hide: true } }, async (_req, reply) => {
    const checks: Record<string, string> = {};
    let ready = !app.draining;
    const limit = options.healthTimeoutMs ?? 3_000;
    for (const [name, check] of Object.entries(options.readinessChecks ?? {})) {
      let timer: NodeJS.Timeout | undefined;
      try {
        const late = new Promise<never>(
          (_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), limit)),
        );
        const ok = await Promise.race([check(), late]);
        checks[name] = ok === false ? 'down' : 'up';
        if (ok === false) ready = false;
      } catch {
        checks[name] = 'down';
        ready = false;
      } finally {
        clearTimeout(timer);
      }
    }
    return reply
      .status(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not_ready', service: options.service, checks });
  });

  if (options.metricsRoute !== false) {
    app.get('/metrics', { logLevel: 'warn', schema: { hide: true } }, async (_req, reply) => {
      reply.type(metrics.contentType);
      return metrics.metrics();
    });
  }

  return app as unknown as ServiceApp;
}

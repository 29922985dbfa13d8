import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from '@emporium/kit';

/**
 * The gateway's own Prometheus metrics, on a listener of their own (METRICS_PORT) that is never the public
 * one: route names, error rates and process internals are for the operator, not for every visitor.
 */
export function buildMetricsServer(registry: Registry): FastifyInstance {
  const server = Fastify({ logger: false });
  server.get('/metrics', async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  return server;
}

import type { FastifyInstance } from 'fastify';
import client from 'prom-client';

export type Registry = client.Registry;
export const { Counter, Gauge, Histogram } = client;

// Shared HTTP metrics carry a `service` label; domain metrics are named emporium_<service>_<thing>_<unit>.
export function createMetrics(service: string): Registry {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry, prefix: 'emporium_' });
  return registry;
}

export function instrumentHttp(app: FastifyInstance, registry: Registry): void {
  const requests = new client.Counter({
    name: 'emporium_http_requests_total',
    help: 'HTTP requests served, by route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const errors = new client.Counter({
    name: 'emporium_http_errors_total',
    help: 'HTTP responses with a 5xx status, by route',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new client.Histogram({
    name: 'emporium_http_request_duration_seconds',
    help: 'HTTP request duration, by route',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  app.addHook('onResponse', (req, reply, done) => {
    // The route pattern, never the raw URL, keeps label cardinality bounded.
    const route = req.routeOptions.url ?? 'unmatched';
    const status = String(reply.statusCode);
    requests.inc({ method: req.method, route, status });
    if (reply.statusCode >= 500) errors.inc({ method: req.method, route, status });
    duration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
    done();
  });
}

/** Returns the registry's metric of that name, creating it once: several clients may share a registry. */
export function sharedMetric<M extends client.Metric>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}

import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { ServiceClient } from '@emporium/kit';

interface OpenApiDoc {
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  tags?: Array<{ name: string }>;
}

const CACHE_MS = 30_000;

/** One OpenAPI document for the whole public API, merged from each service's /openapi.json. */
export async function docsRoutes(app: FastifyInstance, upstreams: Array<{ name: string; prefix: string; client: ServiceClient }>): Promise<void> {
  let merged: OpenApiDoc | undefined;
  let fetchedAt = 0;

  async function refresh(): Promise<void> {
    if (merged && Date.now() - fetchedAt < CACHE_MS) return;
    const doc: OpenApiDoc = { paths: {}, components: { schemas: {}, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } }, tags: [] };
    await Promise.all(
      upstreams.map(async (u) => {
        try {
          const res = await u.client.json<OpenApiDoc>({ method: 'GET', path: '/openapi.json' });
          if (res.statusCode !== 200) return;
          // Only the public prefix is published: internal routes of a service stay out of the docs.
          for (const [p, item] of Object.entries(res.body.paths ?? {})) if (p.startsWith(u.prefix)) doc.paths![p] = item;
          Object.assign(doc.components!.schemas!, res.body.components?.schemas);
          doc.tags!.push({ name: u.name });
        } catch (err) {
          // A service that is down is missing from the docs until it is back.
          app.log.warn({ service: u.name, err: (err as Error).message }, 'OpenAPI document of a service could not be read');
        }
      }),
    );
    merged = doc;
    fetchedAt = Date.now();
  }

  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiHooks: { onRequest: async () => refresh() },
    transformSpecification: (own: Record<string, unknown>) => ({
      ...own,
      info: { title: 'Emporium API', version: '1.0.0', description: 'Every public route, as served through the gateway.' },
      paths: merged?.paths ?? {},
      components: merged?.components ?? {},
      tags: merged?.tags ?? [],
    }),
  });
}

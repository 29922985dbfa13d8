import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { errorResponses, ProblemSchema, type ServiceClient } from '@emporium/kit';

interface OpenApiDoc {
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  tags?: Array<{ name: string }>;
}

const CACHE_MS = 30_000;

// What the gateway itself may answer on any route: a bad token (checked at the edge even on public
// routes), its rate limit, oversized headers or URL, and a service that is down, slow or failing. 413
// wherever a body is sent.
const AT_THE_EDGE = errorResponses(401, 429, 431, 502, 503, 504);
const BODY_TOO_LARGE = errorResponses(413)[413];
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/** Adds the gateway's own answers to an operation's responses, keeping what the service documented. */
function withEdgeResponses(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...item };
  for (const [method, op] of Object.entries(item)) {
    if (!METHODS.has(method) || typeof op !== 'object' || op === null) continue;
    const operation = op as { responses?: Record<string, unknown>; requestBody?: unknown };
    const responses = { ...operation.responses };
    for (const [status, response] of Object.entries(AT_THE_EDGE)) responses[status] ??= problemRef(response);
    if (operation.requestBody) responses['413'] ??= problemRef(BODY_TOO_LARGE);
    out[method] = { ...operation, responses };
  }
  return out;
}

// OpenAPI links between operations, so a client (and schemathesis' stateful phase) can follow one
// answer into the next call: [from path, method, status, to path, method, parameters].
const LINKS: Array<[string, string, string, string, string, Record<string, string>]> = [
  ['/api/users/register', 'post', '201', '/api/users/{id}', 'get', { id: '$response.body#/id' }],
  ['/api/users/register', 'post', '201', '/api/users/{id}', 'put', { id: '$response.body#/id' }],
  ['/api/users/login', 'post', '200', '/api/users/{id}', 'get', { id: '$response.body#/user/id' }],
  ['/api/orders', 'post', '201', '/api/orders/{id}', 'get', { id: '$response.body#/id' }],
  ['/api/orders', 'post', '201', '/api/orders/{id}', 'delete', { id: '$response.body#/id' }],
  ['/api/orders', 'post', '201', '/api/payments/order/{orderId}', 'get', { orderId: '$response.body#/id' }],
  ['/api/orders', 'post', '201', '/api/orders/user/{userId}', 'get', { userId: '$response.body#/user_id' }],
  ['/api/products/{id}', 'get', '200', '/api/products/sku/{sku}', 'get', { sku: '$response.body#/sku' }],
];

function addLinks(paths: Record<string, unknown>): void {
  type Operation = { responses?: Record<string, { links?: Record<string, unknown> }> };
  const op = (p: string, m: string) => (paths[p] as Record<string, Operation> | undefined)?.[m];
  for (const [from, method, status, to, toMethod, parameters] of LINKS) {
    const response = op(from, method)?.responses?.[status];
    if (!response || !op(to, toMethod)) continue;
    const name = `${toMethod}${to.replace(/[^A-Za-z]+/g, '_')}`;
    const operationRef = `#/paths/${to.replaceAll('/', '~1')}/${toMethod}`;
    response.links = { ...response.links, [name]: { operationRef, parameters } };
  }
}

/** The kit's response schema (written for Fastify) as an OpenAPI response object. */
function problemRef(response: unknown): unknown {
  const out = JSON.parse(JSON.stringify(response).replaceAll('"Problem#"', '"#/components/schemas/Problem"'));
  for (const [name, header] of Object.entries((out.headers ?? {}) as Record<string, { description?: string }>)) {
    const { description, ...schema } = header;
    out.headers[name] = { description, schema };
  }
  return out;
}

/** One OpenAPI document for the whole public API, merged from each service's /openapi.json. */
export async function docsRoutes(
  app: FastifyInstance,
  upstreams: Array<{ name: string; prefix: string; client: ServiceClient }>,
): Promise<void> {
  let merged: OpenApiDoc | undefined;
  let fetchedAt = 0;

  async function refresh(): Promise<void> {
    if (merged && Date.now() - fetchedAt < CACHE_MS) return;
    const { $id: _id, ...problem } = ProblemSchema as typeof ProblemSchema & { $id?: string };
    const doc: OpenApiDoc = {
      paths: {},
      components: {
        schemas: { Problem: problem },
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
      tags: [],
    };
    await Promise.all(
      upstreams.map(async (u) => {
        try {
          const res = await u.client.json<OpenApiDoc>({ method: 'GET', path: '/openapi.json' });
          if (res.statusCode !== 200) return;
          // Only the public prefix is published: internal routes of a service stay out of the docs.
          for (const [p, item] of Object.entries(res.body.paths ?? {})) {
            if (p.startsWith(u.prefix)) doc.paths![p] = withEdgeResponses(item as Record<string, unknown>);
          }
          Object.assign(doc.components!.schemas!, res.body.components?.schemas);
          doc.tags!.push({ name: u.name });
        } catch (err) {
          // A service that is down is missing from the docs until it is back.
          const reason = (err as Error).message;
          app.log.warn({ target: u.name, err: reason }, 'OpenAPI document of a service could not be read');
        }
      }),
    );
    addLinks(doc.paths!);
    merged = doc;
    fetchedAt = Date.now();
  }

  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiHooks: { onRequest: async () => refresh() },
    transformSpecification: (own: Record<string, unknown>) => ({
      ...own,
      info: {
        title: 'Emporium API',
        version: '1.0.0',
        description: 'Every public route, as served through the gateway.',
      },
      paths: merged?.paths ?? {},
      components: merged?.components ?? {},
      tags: merged?.tags ?? [],
    }),
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createServiceClient, DomainError, type Registry } from '@emporium/kit';

// Derived product pictures only: uploaded originals (with their metadata) under uploads/ are never served.
const ASSET_KEY = /^products\/(?:[A-Za-z0-9_-]{1,64}\/){1,4}[A-Za-z0-9_-]{1,64}\.webp$/;
const PASSED_ON = ['content-type', 'content-length', 'etag', 'last-modified', 'cache-control'];

/**
 * `/assets/<key>` → the images bucket (ASSETS_ORIGIN_URL, e.g. the local S3 server's
 * http://127.0.0.1:19000/emporium-product-images): what CloudFront or the bucket serve in the cloud.
 */
export function assetsRoutes(
  app: FastifyInstance,
  options: { originUrl: string; timeoutMs: number; registry: Registry },
): void {
  const origin = new URL(options.originUrl);
  const client = createServiceClient({
    target: 'assets',
    baseUrl: origin.origin,
    timeoutMs: options.timeoutMs,
    registry: options.registry,
  });
  app.addHook('onClose', () => client.close());
  const notFound = () => new DomainError('asset_not_found', 'not_found', 'No such asset.');

  const serve = async (req: FastifyRequest<{ Params: { '*': string } }>, reply: FastifyReply) => {
    const key = `products/${req.params['*']}`;
    if (!ASSET_KEY.test(key)) throw notFound();
    const conditional = req.headers['if-none-match'];
    const res = await client.request({
      method: req.method === 'HEAD' ? 'HEAD' : 'GET',
      path: `${origin.pathname.replace(/\/$/, '')}/${key}`,
      headers: conditional ? { 'if-none-match': conditional } : {},
    });
    if (res.statusCode === 404 || res.statusCode === 403) throw notFound();
    if (res.statusCode !== 200 && res.statusCode !== 304) {
      throw new DomainError('asset_unavailable', 'unavailable', 'The asset store did not answer.');
    }
    for (const name of PASSED_ON) {
      const value = res.headers[name];
      if (typeof value === 'string') reply.header(name, value);
    }
    // Pictures may be shown by a shop on another origin.
    reply.header('cross-origin-resource-policy', 'cross-origin');
    return reply.status(res.statusCode).send(res.statusCode === 304 || req.method === 'HEAD' ? undefined : res.body);
  };
  const schema = { hide: true };
  // Only products/: the rest of /assets/ is the web UI's hashed files (web-routes.ts).
  app.get('/assets/products/*', { schema }, serve);
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@emporium/kit';
import type { WebFile } from './web-files.ts';

// Paths that are never the web UI's pages, whatever their case: they keep their 404 problem (a missing asset or
// picture must not answer 200 with index.html).
const RESERVED = /^\/(api|docs|metrics|internal|health|ready|assets|admin\/assets|\.well-known)(\/|$)/i;

const notFound = (req: FastifyRequest) =>
  new DomainError('route_not_found', 'not_found', `No route for ${req.method} ${req.url.split('?')[0]}.`);

function preferredEncoding(req: FastifyRequest): 'br' | 'gzip' | undefined {
  const accepted = String(req.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepted)) return 'br';
  if (/\bgzip\b/.test(accepted)) return 'gzip';
  return undefined;
}

async function sendFile(req: FastifyRequest, reply: FastifyReply, file: WebFile) {
  reply
    .header('content-type', file.type)
    .header('etag', file.etag)
    .header('vary', 'accept-encoding')
    // index.html names the current hashed bundles, so browsers revalidate it every time (a 304 when unchanged).
    .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (req.headers['if-none-match'] === file.etag) return reply.status(304).send();
  const encoding = preferredEncoding(req);
  const encoded = encoding ? await file.encoded(encoding) : undefined;
  if (encoding && encoded) return reply.header('content-encoding', encoding).send(encoded);
  return reply.send(file.body);
}

/**
 * The built storefront at `/` and admin console at `/admin`, from memory. A path with no file is one of the
 * single-page app's own routes (history fallback) and gets its index.html, unless it names a file
 * (an extension) or a reserved prefix.
 */
export function webRoutes(app: FastifyInstance, files: Map<string, WebFile>): void {
  const storefront = files.get('/index.html')!;
  const admin = files.get('/admin/index.html') ?? storefront;
  const schema = { hide: true };
  const serve = async (req: FastifyRequest, reply: FastifyReply) => {
    let path: string;
    try {
      path = decodeURIComponent(req.url.split('?')[0]!);
    } catch {
      throw notFound(req);
    }
    const file = files.get(path);
    if (file) return sendFile(req, reply, file);
    if (RESERVED.test(path) || /\.[A-Za-z0-9]+$/.test(path)) throw notFound(req);
    return sendFile(req, reply, /^\/admin(\/|$)/.test(path) ? admin : storefront);
  };
  app.get('/', { schema }, serve);
  app.get('/*', { schema }, serve);
}

import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dispatcher } from 'undici';
import type { ServiceClient } from '@emporium/kit';
import { forwardableRequestHeaders, forwardableResponseHeaders, type Upstream } from './route-table.ts';

/** Forwards every method under each public prefix to its service, body and answer byte for byte. */
export function proxyRoutes(app: FastifyInstance, upstreams: Array<Upstream & { client: ServiceClient }>): void {
  for (const upstream of upstreams) {
    const forward = async (req: FastifyRequest, reply: FastifyReply) => {
      const headers = forwardableRequestHeaders(req.headers);
      headers['x-forwarded-for'] = req.ip;
      headers['x-forwarded-proto'] = req.protocol;
      if (req.identity) {
        headers['x-user-id'] = String(req.identity.userId);
        headers['x-user-role'] = req.identity.role;
      }
      const res = await upstream.client.request({
        method: req.method as Dispatcher.HttpMethod,
        path: req.url,
        headers,
        body: req.body as Buffer | undefined,
        // A POST carrying an idempotency key is safe to repeat; the service answers a repeat the same way.
        idempotent: typeof req.headers['idempotency-key'] === 'string',
      });
      // A UTF-8 body (JSON, every API answer) goes out as a string: Node then writes the head and the
      // body in one system call, where a Buffer takes a second chunk. Other bodies go as they came.
      const body = isUtf8(res.body) ? res.body.toString('utf8') : res.body;
      return reply.status(res.statusCode).headers(forwardableResponseHeaders(res.headers)).send(body);
    };
    const schema = { hide: true };
    app.all(upstream.prefix, { schema }, forward);
    app.all(`${upstream.prefix}/*`, { schema }, forward);
  }
}

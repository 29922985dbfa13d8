import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dispatcher } from 'undici';
import type { ServiceClient } from '@emporium/kit';
import { forwardableRequestHeaders, forwardableResponseHeaders, type Upstream } from './route-table.ts';

/** An EventSource (or a fetch that asks for one) wants the answer as it comes, never buffered. */
const wantsEventStream = (req: FastifyRequest) =>
  req.method === 'GET' && String(req.headers.accept ?? '').includes('text/event-stream');

/** Forwards every method under each public prefix to its service, body and answer byte for byte. */
export function proxyRoutes(app: FastifyInstance, upstreams: Array<Upstream & { client: ServiceClient }>): void {
  // Streams are endless: on shutdown they are cut, so the server's close does not wait out its grace period.
  const streams = new Set<Readable>();
  app.addHook('preClose', async () => {
    for (const s of streams) s.destroy();
  });

  for (const upstream of upstreams) {
    const forward = async (req: FastifyRequest, reply: FastifyReply) => {
      const headers = forwardableRequestHeaders(req.headers);
      headers['x-forwarded-for'] = req.ip;
      headers['x-forwarded-proto'] = req.protocol;
      if (req.identity) {
        headers['x-user-id'] = String(req.identity.userId);
        headers['x-user-role'] = req.identity.role;
      }
      const call = {
        method: req.method as Dispatcher.HttpMethod,
        path: req.url,
        headers,
        body: req.body as Buffer | undefined,
        // A POST carrying an idempotency key is safe to repeat; the service answers a repeat the same way.
        idempotent: typeof req.headers['idempotency-key'] === 'string',
      };
      if (wantsEventStream(req)) {
        // Each chunk goes out as it arrives; the client leaving ends the upstream request too (Fastify destroys it).
        const res = await upstream.client.stream(call);
        streams.add(res.body);
        res.body.on('close', () => streams.delete(res.body));
        return reply.status(res.statusCode).headers(forwardableResponseHeaders(res.headers)).send(res.body);
      }
      const res = await upstream.client.request(call);
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

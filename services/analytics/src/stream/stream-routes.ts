import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { DomainError, ERRORS, errorResponses, Gauge, type TokenVerifier } from '@emporium/kit';
import { adminOnly } from '../reports/report-routes.ts';
import type { ResultFeed } from './result-feed.ts';
import { heartbeatFrame, lastEventIdOf, openingFrame, resultFrame } from './sse.ts';

// A client that stops reading is let go rather than buffered for without end.
const MAX_BUFFERED_BYTES = 1024 * 1024;
const RETRY_MS = 3_000;

export function streamRoutes(
  app: FastifyInstance,
  feed: ResultFeed,
  verify: TokenVerifier,
  options: { heartbeatMs: number; maxClients: number },
): void {
  const open = new Set<PassThrough>();
  const clients = new Gauge({
    name: 'emporium_analytics_stream_clients',
    help: 'Open Server-Sent Events streams of new results',
    registers: [app.metrics],
    collect() {
      this.set(open.size);
    },
  });
  void clients;
  // Open streams would hold the server's close until the grace period ends: they are ended first.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });

  app.get(
    '/api/analytics/stream',
    {
      preHandler: adminOnly(verify),
      schema: {
        tags: ['analytics'],
        security: [{ bearer: [] }],
        description:
          'Server-Sent Events: `event: result` with each new or revised result as `data` (JSON) and its stream ' +
          'position as `id`; a comment every STREAM_HEARTBEAT_MS. Send `Last-Event-ID` to resume after a position.',
        response: {
          200: {
            description: 'An endless event stream',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...errorResponses(ERRORS.admin),
        },
      },
    },
    async (req, reply) => {
      if (open.size >= options.maxClients)
        throw new DomainError('too_many_streams', 'unavailable', 'Too many open streams; try again shortly.', {
          retryAfterSeconds: 10,
        });
      const stream = new PassThrough();
      open.add(stream);
      stream.write(openingFrame(RETRY_MS));
      const heartbeat = setInterval(() => stream.write(heartbeatFrame()), options.heartbeatMs);
      let unsubscribe = () => undefined as void;
      // The client gone (before or after the reply started): the stream and its subscription go too.
      reply.raw.on('close', () => stream.destroy());
      stream.on('close', () => {
        clearInterval(heartbeat);
        open.delete(stream);
        unsubscribe();
      });
      const after = lastEventIdOf(req.headers['last-event-id']);
      try {
        unsubscribe = await feed.subscribe(after, (row) => {
          if (stream.writableLength > MAX_BUFFERED_BYTES) stream.destroy();
          else stream.write(resultFrame(row));
        });
      } catch (err) {
        stream.destroy();
        throw err;
      }
      if (stream.destroyed) unsubscribe();
      return reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('x-accel-buffering', 'no')
        .send(stream);
    },
  );
}

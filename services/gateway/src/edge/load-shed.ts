import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, DomainError, Gauge, problemOf } from '@emporium/kit';
import type { Upstream } from '../proxy/route-table.ts';
import { ConcurrencyLimit } from './concurrency-limit.ts';

export interface LoadShedding {
  /** Requests to one service at once, those waiting for a connection included; 0 = no bound. */
  maxInFlightPerService: number;
  /** Fewer are let through while even the fastest answers of a service take longer than this; 0 = fixed bound. */
  latencyTargetMs: number;
  /** The gateway's own event-loop delay above which it answers nothing but 503s; 0 = not checked. */
  maxEventLoopDelayMs: number;
  /** How often the event-loop delay is measured. */
  sampleMs?: number;
}

/** Overload clears within seconds or an autoscaler adds replicas; a client that waits a second is welcome. */
export const SHED_RETRY_AFTER_SECONDS = 1;
const LATE_SAMPLES = 3;
// The adaptive limit never goes below this many requests in flight, and is revised this often.
const MIN_IN_FLIGHT = 8;
const INTERVAL_MS = 500;
const OVERLOADED = new DomainError('overloaded', 'unavailable', 'The service is busy; try again shortly.');

/**
 * Answers 503 `overloaded` at once, before the token is checked or the body read, instead of queueing until
 * the client gives up: when one service already has as many requests in flight as its limit allows (at most
 * `maxInFlightPerService`, fewer while it answers slowly: concurrency-limit.ts); only that service's routes shed,
 * the others stay served. Also while the gateway's own event loop lags. Only proxied routes shed; /health, /ready
 * and /docs never do. See docs/decisions/0014-load-shedding.md.
 */
export function installLoadShedding(app: FastifyInstance, upstreams: Upstream[], options: LoadShedding): void {
  const shed = new Counter({
    name: 'emporium_gateway_shed_requests_total',
    help: 'Requests answered 503 overloaded without being forwarded, by target and reason',
    labelNames: ['target', 'reason'],
    registers: [app.metrics],
  });
  const max = options.maxInFlightPerService;
  const limits = new Map(
    upstreams.map((u) => [
      u.name,
      new ConcurrencyLimit({
        max: max > 0 ? max : Infinity,
        min: Math.min(MIN_IN_FLIGHT, max > 0 ? max : MIN_IN_FLIGHT),
        targetMs: options.latencyTargetMs,
        intervalMs: INTERVAL_MS,
      }),
    ]),
  );
  new Gauge({
    name: 'emporium_gateway_in_flight_requests',
    help: 'Requests to each target in flight at the gateway (waiting for a connection included)',
    labelNames: ['target'],
    registers: [app.metrics],
    collect() {
      for (const [target, limit] of limits) this.set({ target }, limit.inFlight);
    },
  });
  new Gauge({
    name: 'emporium_gateway_in_flight_limit',
    help: 'Requests to each target the gateway lets be in flight now (adapted to its latency)',
    labelNames: ['target'],
    registers: [app.metrics],
    collect() {
      for (const [target, limit] of limits) this.set({ target }, Number.isFinite(limit.limit) ? limit.limit : -1);
    },
  });
  const upstreamOf = (url: string) =>
    upstreams.find(
      (u) => url.startsWith(u.prefix) && (url.length === u.prefix.length || '/?'.includes(url[u.prefix.length]!)),
    );

  let lagging = false;
  if (options.maxEventLoopDelayMs > 0) {
    // A timer's lateness is the event loop's delay: every request waits about that long before it is even read.
    // Only a delay that persists (LATE_SAMPLES probes in a row) sheds: a single stall (a GC pause, warming up at
    // start) is a burst the loop absorbs, not a standing queue.
    const every = options.sampleMs ?? 100;
    let due = performance.now() + every;
    let late = 0;
    const probe = setInterval(() => {
      const now = performance.now();
      late = now - due > options.maxEventLoopDelayMs ? late + 1 : 0;
      lagging = late >= LATE_SAMPLES;
      due = now + every;
    }, every);
    probe.unref();
    app.addHook('onClose', async () => clearInterval(probe));
  }

  // Answered here rather than thrown: the refusal must stay cheap, so no stack trace and no error log per request.
  const shedOne = (req: FastifyRequest, reply: FastifyReply, target: string, reason: string) => {
    shed.inc({ target, reason });
    void reply
      .code(503)
      .header('retry-after', String(SHED_RETRY_AFTER_SECONDS))
      .type('application/problem+json')
      .send(problemOf(OVERLOADED, req.url.split('?')[0]));
  };

  app.addHook('onRequest', (req, reply, done) => {
    const upstream = upstreamOf(req.url);
    if (!upstream) return done();
    if (lagging) return shedOne(req, reply, upstream.name, 'event_loop_delay');
    const limit = limits.get(upstream.name)!;
    if (!limit.tryAcquire()) return shedOne(req, reply, upstream.name, 'in_flight');
    const started = performance.now();
    // 'close' comes once the answer is sent or the connection is gone, whichever happens: the slot is always freed.
    reply.raw.once('close', () => limit.release(performance.now() - started));
    done();
  });
}

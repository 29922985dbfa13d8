import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleWhen,
  retry,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { Readable } from 'node:stream';
import { Pool, errors as undiciErrors, type Dispatcher } from 'undici';
import { WindowCountBreaker } from './breaker.ts';
import { currentRequestId } from './context.ts';
import { DomainError } from './errors.ts';
import { Counter, Gauge, sharedMetric, type Registry } from './metrics.ts';
import type { ServiceCredential } from './service-auth.ts';

export interface ServiceClientOptions {
  /** Name of the target, used in errors and metrics, and as the audience of a service credential. */
  target: string;
  baseUrl: string;
  /** Per attempt; the design gives 30 s for gateway → service and 5 s for service → service. */
  timeoutMs: number;
  /** Extra attempts for calls that are safe to repeat. */
  retries?: number;
  breakerFailures?: number;
  breakerWindowMs?: number;
  halfOpenAfterMs?: number;
  connections?: number;
  /** Connections for `stream` (held open as long as each stream), apart from the ones for requests. */
  streamConnections?: number;
  registry?: Registry;
  /** Signs every call as this service (a token addressed to `target`), for the target's internal routes. */
  credential?: ServiceCredential;
}

export interface CallOptions {
  method: Dispatcher.HttpMethod;
  path: string;
  headers?: Record<string, string | string[] | undefined>;
  body?: string | Buffer;
  /** A POST that carries an idempotency key may be retried; GET/HEAD/OPTIONS always may. */
  idempotent?: boolean;
}

export interface ServiceResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** An answer whose body is passed on as it arrives (Server-Sent Events); a 5xx body comes buffered. */
export interface StreamResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

class UpstreamStatusError extends Error {
  readonly response: ServiceResponse;
  constructor(response: ServiceResponse) {
    super(`upstream answered ${response.statusCode}`);
    this.response = response;
  }
}

// A 5xx from the target counts against the breaker; 4xx answers are the caller's problem, not the target's.
// A 503 is the target answering, quickly, that it cannot serve this now (a store of its own is down, it
// sheds load): retried when safe, passed on, but not counted, so the target's other routes stay reachable.
const isTargetFailure = (err: unknown) =>
  !(err instanceof DomainError) && !(err instanceof UpstreamStatusError && err.response.statusCode === 503);
const isRetryable = (err: unknown) =>
  err instanceof UpstreamStatusError
    ? [502, 503, 504].includes(err.response.statusCode)
    : !(err instanceof BrokenCircuitError) && !(err instanceof DomainError);

export interface ServiceClient {
  request(call: CallOptions): Promise<ServiceResponse>;
  /**
   * Like request, but the body is not read: an endless answer (an event stream) flows through. Timeouts
   * and the breaker cover the wait for headers; the body may pause up to `timeoutMs` between chunks.
   */
  stream(call: CallOptions): Promise<StreamResponse>;
  json<T>(call: Omit<CallOptions, 'body'> & { body?: unknown }): Promise<{ statusCode: number; body: T }>;
  close(): Promise<void>;
  readonly isOpen: () => boolean;
}

export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const pool = new Pool(options.baseUrl, {
    connections: options.connections ?? 64,
    keepAliveTimeout: 30_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  // Streams hold their connection for as long as they last: they get connections of their own.
  const streamPool = new Pool(options.baseUrl, {
    connections: options.streamConnections ?? 256,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  const breaker = circuitBreaker(handleWhen(isTargetFailure), {
    halfOpenAfter: options.halfOpenAfterMs ?? 10_000,
    breaker:
      options.breakerFailures === 1
        ? new ConsecutiveBreaker(1)
        : new WindowCountBreaker(options.breakerFailures ?? 5, options.breakerWindowMs ?? 60_000),
  });
  const retrying = retry(handleWhen(isRetryable), {
    maxAttempts: options.retries ?? 2,
    backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1_000 }),
  });
  // The per-attempt timeout is undici's own (headers and body timeouts on the pool): cockatiel's
  // timeout policy aborts a controller after every call, and that DOMException cost showed in profiles.
  const once: IPolicy = breaker;
  const repeatable: IPolicy = wrap(retrying, breaker);

  const registry = options.registry;
  const calls = registry
    ? sharedMetric(
        registry,
        'emporium_http_client_requests_total',
        () =>
          new Counter({
            name: 'emporium_http_client_requests_total',
            help: 'Outgoing service calls by target and outcome',
            labelNames: ['target', 'outcome'],
            registers: [registry],
          }),
      )
    : undefined;
  if (registry) {
    const gauge = sharedMetric(
      registry,
      'emporium_http_client_circuit_open',
      () =>
        new Gauge({
          name: 'emporium_http_client_circuit_open',
          help: '1 while the circuit to a target is open',
          labelNames: ['target'],
          registers: [registry],
        }),
    );
    breaker.onStateChange((state) => gauge.set({ target: options.target }, state === 1 ? 1 : 0));
  }

  async function send(call: CallOptions, via: Pool): Promise<Dispatcher.ResponseData> {
    const requestId = currentRequestId();
    // Per attempt, so a retry after the cached token was renewed carries the new one.
    const token = options.credential ? await options.credential.tokenFor(options.target) : undefined;
    const headers: Record<string, string | string[] | undefined> = { ...call.headers };
    if (requestId) headers['x-request-id'] = requestId;
    if (token) headers['authorization'] = `Bearer ${token}`;
    const res = await via.request({ method: call.method, path: call.path, headers, body: call.body });
    if (res.statusCode >= 500) {
      const body = Buffer.from(await res.body.arrayBuffer());
      throw new UpstreamStatusError({ statusCode: res.statusCode, headers: res.headers, body });
    }
    return res;
  }

  async function attempt(call: CallOptions): Promise<ServiceResponse> {
    const res = await send(call, pool);
    return { statusCode: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
  }

  async function attemptStream(call: CallOptions): Promise<StreamResponse> {
    const res = await send(call, streamPool);
    return { statusCode: res.statusCode, headers: res.headers, body: res.body };
  }

  const request = (call: CallOptions) =>
    guarded(
      call,
      () => attempt(call),
      (r) => r,
    );

  async function guarded<T>(call: CallOptions, work: () => Promise<T>, passOn: (r: ServiceResponse) => T): Promise<T> {
    const policy = SAFE_METHODS.has(call.method) || call.idempotent ? repeatable : once;
    try {
      const res = await policy.execute(work);
      calls?.inc({ target: options.target, outcome: 'ok' });
      return res;
    } catch (err) {
      // The target's own 5xx answer is passed on as it is: the caller decides what it means.
      if (err instanceof UpstreamStatusError) {
        calls?.inc({ target: options.target, outcome: 'upstream_error' });
        return passOn(err.response);
      }
      if (err instanceof BrokenCircuitError) {
        calls?.inc({ target: options.target, outcome: 'circuit_open' });
        throw new DomainError(
          'upstream_unavailable',
          'unavailable',
          `The ${options.target} service is unavailable; try again shortly.`,
          { retryAfterSeconds: 10 },
        );
      }
      if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) {
        calls?.inc({ target: options.target, outcome: 'timeout' });
        throw new DomainError('upstream_timeout', 'timeout', `The ${options.target} service did not answer in time.`, {
          retryAfterSeconds: 2,
          cause: err,
        });
      }
      calls?.inc({ target: options.target, outcome: 'network_error' });
      // Briefly unreachable (restarting, rolling out) is unavailability, not a broken answer: 503, try again.
      throw new DomainError(
        'upstream_unreachable',
        'unavailable',
        `The ${options.target} service could not be reached; try again shortly.`,
        { retryAfterSeconds: 2, cause: err },
      );
    }
  }

  return {
    request,
    stream: (call) =>
      guarded(
        call,
        () => attemptStream(call),
        (r) => ({ ...r, body: Readable.from([r.body]) }),
      ),
    async json<T>(call: Omit<CallOptions, 'body'> & { body?: unknown }) {
      const res = await request({
        ...call,
        headers: {
          accept: 'application/json',
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...call.headers,
        },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
      });
      const text = res.body.toString('utf8');
      try {
        return { statusCode: res.statusCode, body: (text ? JSON.parse(text) : undefined) as T };
      } catch (err) {
        // Not the caller's mistake: the target answered something that is not JSON.
        const detail = `The ${options.target} service answered with a body that is not JSON.`;
        throw new DomainError('upstream_invalid_response', 'bad_gateway', detail, { cause: err });
      }
    },
    // Open streams are endless: they are cut, not waited for.
    close: async () => void (await Promise.all([pool.close(), streamPool.destroy()])),
    isOpen: () => breaker.state === 1,
  };
}

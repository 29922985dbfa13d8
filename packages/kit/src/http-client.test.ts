import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PassThrough } from 'node:stream';
import Fastify from 'fastify';
import { requestContext } from './context.ts';
import { DomainError } from './errors.ts';
import { createServiceClient } from './http-client.ts';

const target = Fastify();
const hits: Record<string, number> = {};
let base = '';
let releaseEvents = () => undefined as void;
const count = (k: string) => (hits[k] = (hits[k] ?? 0) + 1);

before(async () => {
  target.get('/flaky', async (_req, reply) => (count('flaky') < 3 ? reply.status(503).send({}) : { ok: true }));
  target.post('/flaky-post', async (_req, reply) =>
    count('flaky-post') < 2 ? reply.status(503).send({}) : { ok: true },
  );
  target.get('/down', async (_req, reply) => {
    count('down');
    return reply.status(500).send({ err: 1 });
  });
  target.get('/busy', async (_req, reply) => {
    count('busy');
    return reply.status(503).header('retry-after', '2').send({ code: 'catalog_unavailable' });
  });
  target.get('/slow', async () => new Promise((r) => setTimeout(() => r({ late: true }), 4_000).unref()));
  target.get('/echo-id', async (req) => ({ id: req.headers['x-request-id'] ?? null }));
  target.get('/missing', async (_req, reply) => reply.status(404).send({ code: 'nope' }));
  // Writes one event, then waits for the test to let it write the second and end.
  target.get('/events', async (_req, reply) => {
    const body = new PassThrough();
    body.write('data: one\n\n');
    releaseEvents = () => body.end('data: two\n\n');
    return reply.header('content-type', 'text/event-stream').send(body);
  });
  await target.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(target.server.address() as { port: number }).port}`;
});
after(() => target.close());

test('a GET is retried with backoff on 503 until it succeeds', async () => {
  const c = createServiceClient({ target: 't', baseUrl: base, timeoutMs: 1000, retries: 3 });
  const res = await c.json<{ ok: boolean }>({ method: 'GET', path: '/flaky' });
  assert.equal(res.statusCode, 200);
  assert.equal(hits['flaky'], 3);
  await c.close();
});

test('a POST is not retried unless marked idempotent', async () => {
  const c = createServiceClient({ target: 't', baseUrl: base, timeoutMs: 1000, retries: 3 });
  const first = await c.request({ method: 'POST', path: '/flaky-post' });
  assert.equal(first.statusCode, 503);
  assert.equal(hits['flaky-post'], 1);
  const second = await c.request({ method: 'POST', path: '/flaky-post', idempotent: true });
  assert.equal(second.statusCode, 200);
  assert.equal(hits['flaky-post'], 2);
  await c.close();
});

test('a 4xx answer is returned as it is and never retried', async () => {
  const c = createServiceClient({ target: 't', baseUrl: base, timeoutMs: 1000, retries: 3 });
  const res = await c.json<{ code: string }>({ method: 'GET', path: '/missing' });
  assert.deepEqual([res.statusCode, res.body.code], [404, 'nope']);
  await c.close();
});

test('a slow target times out as a 504-kind error', async () => {
  // undici checks its timeouts on a coarse clock (about half a second), so the target is much slower.
  const c = createServiceClient({ target: 't', baseUrl: base, timeoutMs: 200, retries: 0 });
  const started = Date.now();
  await assert.rejects(
    c.request({ method: 'GET', path: '/slow' }),
    (e: DomainError) => e.kind === 'timeout' && e.code === 'upstream_timeout',
  );
  assert.ok(Date.now() - started < 3_000);
  await c.close();
});

test('the circuit opens after 5 failures and then fails fast without calling the target', async () => {
  const c = createServiceClient({ target: 't', baseUrl: base, timeoutMs: 1000, retries: 0, halfOpenAfterMs: 60_000 });
  for (let i = 0; i < 5; i++) assert.equal((await c.request({ method: 'GET', path: '/down' })).statusCode, 500);
  assert.equal(hits['down'], 5);
  assert.ok(c.isOpen());
  await assert.rejects(
    c.request({ method: 'GET', path: '/down' }),
    (e: DomainError) => e.code === 'upstream_unavailable' && e.kind === 'unavailable',
  );
  assert.equal(hits['down'], 5);
  await c.close();
});

test('an unreachable target is unavailable (503) with a Retry-After, not a bad gateway', async () => {
  const c = createServiceClient({ target: 't', baseUrl: 'http://127.0.0.1:1', timeoutMs: 500, retries: 1 });
  await assert.rejects(
    c.request({ method: 'GET', path: '/' }),
    (e: DomainError) => e.kind === 'unavailable' && e.code === 'upstream_unreachable' && e.retryAfterSeconds === 2,
  );
  await c.close();
});

test('the current request id travels with the call', async () => {
  const c = createServiceClient({ target: 't', baseUrl: base, timeoutMs: 1000 });
  const res = await requestContext.run({ requestId: 'req-123' }, () =>
    c.json<{ id: string }>({ method: 'GET', path: '/echo-id' }),
  );
  assert.equal(res.body.id, 'req-123');
  await c.close();
});

test('503 answers are passed on but never open the circuit: the target is up and answering', async () => {
  const c = createServiceClient({ target: 't', baseUrl: base, timeoutMs: 1000, retries: 0, halfOpenAfterMs: 60_000 });
  for (let i = 0; i < 10; i++) assert.equal((await c.request({ method: 'GET', path: '/busy' })).statusCode, 503);
  assert.equal(hits['busy'], 10);
  assert.equal(c.isOpen(), false);
  assert.equal((await c.request({ method: 'GET', path: '/missing' })).statusCode, 404);
  await c.close();
});

test('a stream passes its body on as it arrives; a 5xx comes whole', async () => {
  const c = createServiceClient({ target: 't', baseUrl: base, timeoutMs: 1000, retries: 1 });
  const res = await c.stream({ method: 'GET', path: '/events' });
  assert.equal(res.statusCode, 200);
  const chunks = res.body[Symbol.asyncIterator]();
  assert.equal(String((await chunks.next()).value), 'data: one\n\n', 'the first event before the body ended');
  releaseEvents();
  assert.equal(String((await chunks.next()).value), 'data: two\n\n');
  assert.equal((await chunks.next()).done, true);

  const down = await c.stream({ method: 'GET', path: '/down' });
  assert.equal(down.statusCode, 500);
  assert.deepEqual(JSON.parse(String((await down.body.toArray())[0])), { err: 1 });
  await c.close();
});

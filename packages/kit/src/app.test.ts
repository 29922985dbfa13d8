import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from 'typebox';
import { buildServiceApp } from './app.ts';
import { DomainError } from './errors.ts';
import { captureLogs } from './testing/index.ts';

async function app(ready = true) {
  const logs = captureLogs();
  const a = await buildServiceApp({
    service: 'demo',
    logStream: logs.stream,
    readinessChecks: { db: async () => ready },
  });
  a.post(
    '/things',
    { schema: { body: Type.Object({ n: Type.Integer(), name: Type.String() }, { additionalProperties: false }) } },
    async (req) => req.body,
  );
  a.get(
    '/things',
    { schema: { querystring: Type.Object({ limit: Type.Integer({ maximum: 100 }) }) } },
    async (req) => req.query,
  );
  a.get(
    '/tokens/:token',
    { schema: { params: Type.Object({ token: Type.String({ maxLength: 4096 }) }) } },
    async (req) => ({ length: (req.params as { token: string }).token.length }),
  );
  a.get('/boom', async () => {
    throw new Error('db password=secret');
  });
  a.get('/conflict', async () => {
    throw new DomainError('sku_taken', 'conflict', 'That sku exists.');
  });
  return Object.assign(a, { logs });
}

test('health, readiness and Prometheus metrics', async () => {
  const a = await app(false);
  assert.equal((await a.inject('/health')).statusCode, 200);
  const ready = await a.inject('/ready');
  assert.equal(ready.statusCode, 503);
  assert.deepEqual(ready.json().checks, { db: 'down' });
  await a.inject('/conflict');
  const m = await a.inject('/metrics');
  assert.match(m.headers['content-type'] as string, /text\/plain/);
  assert.match(m.body, /emporium_http_requests_total\{method="GET",route="\/conflict",status="409",service="demo"\} 1/);
  assert.match(m.body, /emporium_http_request_duration_seconds_bucket/);
  assert.match(m.body, /emporium_process_resident_memory_bytes/);
});

test('bodies are typed strictly; query strings are coerced', async () => {
  const a = await app();
  const bad = await a.inject({ method: 'POST', url: '/things', payload: { n: '5', name: 'x' } });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.deepEqual(bad.json().errors, [{ field: 'n', message: 'must be integer' }]);
  const ok = await a.inject({ method: 'POST', url: '/things', payload: { n: 5, name: 'x' } });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual((await a.inject('/things?limit=7')).json(), { limit: 7 });
  assert.equal((await a.inject('/things?limit=700')).statusCode, 400);
});

test('errors are problem+json; a crash is a 500 that leaks nothing', async () => {
  const a = await app();
  const c = await a.inject('/conflict');
  assert.equal(c.statusCode, 409);
  assert.equal(c.json().code, 'sku_taken');
  const boom = await a.inject('/boom');
  assert.equal(boom.statusCode, 500);
  assert.doesNotMatch(boom.body, /secret/);
  const missing = await a.inject('/nowhere');
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().code, 'route_not_found');
});

test('a well-formed incoming request id is kept and echoed; a hostile one is replaced', async () => {
  const a = await app();
  assert.equal(
    (await a.inject({ url: '/health', headers: { 'x-request-id': 'abc-123' } })).headers['x-request-id'],
    'abc-123',
  );
  const replaced = (await a.inject({ url: '/health', headers: { 'x-request-id': 'bad id\n' } })).headers[
    'x-request-id'
  ] as string;
  assert.match(replaced, /^[0-9a-f-]{36}$/);
});

test('a readiness check that hangs counts as down after the health timeout, instead of hanging the probe', async () => {
  const a = await buildServiceApp({
    service: 'demo',
    logStream: captureLogs().stream,
    healthTimeoutMs: 50,
    readinessChecks: { db: () => new Promise(() => undefined), cache: async () => true },
  });
  const ready = await a.inject('/ready');
  assert.equal(ready.statusCode, 503);
  assert.deepEqual(ready.json().checks, { db: 'down', cache: 'up' });
});

test('a request whose headers are too large is a problem+json 431', async () => {
  const a = await app();
  await a.listen({ port: 0, host: '127.0.0.1' });
  try {
    const port = (a.server.address() as { port: number }).port;
    const res = await fetch(`http://127.0.0.1:${port}/things?limit=1&q=${'x'.repeat(20_000)}`);
    assert.equal(res.status, 431);
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(((await res.json()) as { code: string }).code, 'headers_too_large');
  } finally {
    await a.close();
  }
});

test("a long path parameter is judged by the route's schema, not refused with Fastify's undocumented 414", async () => {
  const a = await app();
  const ok = await a.inject(`/tokens/${'t'.repeat(4096)}`);
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json(), { length: 4096 });
  const tooLong = await a.inject(`/tokens/${'t'.repeat(4097)}`);
  assert.equal(tooLong.statusCode, 400);
  assert.match(String(tooLong.headers['content-type']), /^application\/problem\+json/);
  await a.close();
});

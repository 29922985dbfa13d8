import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newSigningKey, signTestToken, unsignedToken } from '@emporium/kit/testing';
import { buildApp } from '../../services/gateway/src/app.ts';
import { readConfig } from '../../services/gateway/src/config.ts';
import { buildMetricsServer } from '../../services/gateway/src/edge/metrics-server.ts';
import { addressOf, rawRequest, startStack, type Stack } from './helpers.ts';

let s: Stack;
before(async () => {
  s = await startStack({ BODY_LIMIT_BYTES: '16384' });
});
after(() => s.close());

describe('a shopper through the gateway', () => {
  test('registers, logs in, reads and updates their profile', async () => {
    const reg = await s.call('POST', '/api/users/register', {
      username: 'gw_alice',
      email: 'gw_alice@example.com',
      password: 'a-good-password',
      full_name: 'Alice',
    });
    assert.equal(reg.status, 201);
    const login = await s.call('POST', '/api/users/login', {
      email: 'gw_alice@example.com',
      password: 'a-good-password',
    });
    assert.equal(login.status, 200);
    const auth = { authorization: `Bearer ${login.json.access_token}` };
    const me = await s.call('GET', '/api/users/me', undefined, auth);
    assert.equal(me.json.username, 'gw_alice');
    const put = await s.call('PUT', `/api/users/${me.json.id}`, { phone: '+1 555 0100' }, auth);
    assert.equal(put.status, 200);
    assert.equal((await s.call('GET', `/api/users/${me.json.id}`, undefined, auth)).json.phone, '+1 555 0100');
  });

  test('the request id is echoed and reaches the service', async () => {
    const res = await s.call('GET', '/api/users/me', undefined, { 'x-request-id': 'trace-me-42' });
    assert.equal(res.headers.get('x-request-id'), 'trace-me-42');
    const serviceLines = s.users.logs.lines.filter((l) => l.includes('"request_id":"trace-me-42"'));
    assert.ok(serviceLines.length > 0, 'the users service logged the same request id');
  });
});

describe('tokens at the edge', () => {
  test('missing, expired, tampered, foreign and alg:none tokens get 401 on every protected route', async () => {
    const me = await s.signUp('gw_bob');
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: String(me.id), role: 'admin', username: 'gw_bob' };
    const [head, payload, sig] = me.access.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'admin' }),
    ).toString('base64url');
    const tokens: Record<string, string | undefined> = {
      missing: undefined,
      expired: await signTestToken(s.users.key.privateKey, claims, { expiresAt: now - 5 }),
      tampered: `${head}.${forged}.${sig}`,
      foreign: await signTestToken(newSigningKey().privateKey, claims),
      algNone: unsignedToken(claims),
      garbage: 'not.a.jwt',
    };
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api/users/me'],
      ['GET', `/api/users/${me.id}`],
      ['PUT', `/api/users/${me.id}`, { full_name: 'x' }],
      ['DELETE', `/api/users/${me.id}`],
    ];
    for (const [name, token] of Object.entries(tokens)) {
      for (const [method, path, body] of routes) {
        const res = await s.call(method, path, body, token ? { authorization: `Bearer ${token}` } : {});
        assert.equal(res.status, 401, `${name} ${method} ${path}`);
        assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      }
    }
    // Nothing above changed the account.
    assert.equal((await s.call('GET', '/api/users/me', undefined, me.auth)).json.full_name, null);
  });

  test("another user's id is 404 on every route that takes one", async () => {
    const a = await s.signUp('gw_carol');
    const b = await s.signUp('gw_dave');
    for (const [method, body] of [['GET'], ['PUT', { full_name: 'owned' }], ['DELETE']] as const) {
      assert.equal((await s.call(method, `/api/users/${b.id}`, body, a.auth)).status, 404, method);
    }
    assert.equal((await s.call('GET', '/api/users/me', undefined, b.auth)).status, 200);
  });

  test('identity headers sent by a client are not trusted', async () => {
    const a = await s.signUp('gw_erin');
    const b = await s.signUp('gw_frank');
    const res = await s.call('GET', `/api/users/${b.id}`, undefined, {
      ...a.auth,
      'x-user-id': String(b.id),
      'x-user-role': 'admin',
    });
    assert.equal(res.status, 404);
  });
});

describe('bad input', () => {
  test('an oversized body is 413 at the gateway and never reaches the service', async () => {
    const before = s.users.logs.lines.length;
    const res = await s.call('POST', '/api/users/register', {
      username: 'big',
      email: 'big@example.com',
      password: 'x'.repeat(20_000),
    });
    assert.equal(res.status, 413);
    assert.equal(res.json.code, 'payload_too_large');
    assert.equal(s.users.logs.lines.slice(before).filter((l) => l.includes('/api/users/register')).length, 0);
  });

  test('malformed JSON and wrong types are 400 problems', async () => {
    const malformed = await s.call('POST', '/api/users/register', '{"username":');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.json.code, 'malformed_json');
    const wrong = await s.call('POST', '/api/users/login', { username: ['a'], password: 1 });
    assert.equal(wrong.status, 400);
    assert.ok(wrong.json.errors.length >= 2);
  });

  test('unknown routes are 404 problems, and internal paths are not routed', async () => {
    assert.equal((await s.call('GET', '/internal/anything')).status, 404);
    assert.equal((await s.call('GET', '/.well-known/jwks.json')).status, 404);
  });
});

describe('operations', () => {
  test('/health and /ready on the public port; /metrics off it, on ports of their own', async () => {
    assert.equal((await s.call('GET', '/health')).status, 200);
    assert.equal((await s.call('GET', '/ready')).status, 200);
    for (const path of ['/metrics', '/metrics/', '/METRICS', '/metrics?x=1']) {
      const res = await s.call('GET', path);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(res.text, /emporium_http_requests_total/);
    }
    for (const path of ['/api/users/../metrics', '/api/users/%2e%2e/metrics', '/api/users/./../../metrics']) {
      const res = await rawRequest(s.base, 'GET', path);
      assert.equal(res.status, 400, path);
      assert.doesNotMatch(res.text, /emporium_/);
    }
    const metrics = buildMetricsServer(s.gateway.metrics);
    await metrics.listen({ port: 0, host: '127.0.0.1' });
    try {
      for (const base of [addressOf(metrics), addressOf(s.users.app)]) {
        const res = await fetch(`${base}/metrics`);
        const text = await res.text();
        assert.match(res.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
        assert.match(text, /# TYPE emporium_http_requests_total counter/);
        assert.match(text, /emporium_process_cpu_seconds_total/);
      }
    } finally {
      await metrics.close();
    }
  });

  test('security headers are set', async () => {
    const res = await s.call('GET', '/health');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(res.headers.get('content-security-policy'));
    assert.ok(res.headers.get('strict-transport-security'));
  });

  test('/docs serves one OpenAPI document of the public routes', async () => {
    const doc = await s.call('GET', '/docs/json');
    assert.equal(doc.status, 200);
    assert.ok(doc.json.paths['/api/users/register']);
    assert.ok(doc.json.paths['/api/users/{id}']);
    assert.ok(!Object.keys(doc.json.paths).some((p: string) => !p.startsWith('/api/')));
    // OpenAPI 3.1, whose schemas are the JSON Schema the routes are written in; errors are documented.
    assert.equal(doc.json.openapi, '3.1.0');
    assert.equal(doc.json.components.schemas.Problem.properties.code.type, 'string');
    type Operation = { responses: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const [path, item] of Object.entries(doc.json.paths as Record<string, Record<string, Operation>>)) {
      for (const [method, op] of Object.entries(item)) {
        for (const status of ['401', '429', '503']) {
          const problem = op.responses[status]?.content?.['application/problem+json']?.schema;
          assert.deepEqual(problem, { $ref: '#/components/schemas/Problem' }, `${method} ${path} documents ${status}`);
        }
        assert.ok(op.responses['503'].headers['Retry-After'].schema, `${method} ${path}: 503 names Retry-After`);
        const errors = Object.keys(op.responses).filter((s) => Number(s) >= 400);
        assert.ok(
          errors.every((s) => op.responses[s].content?.['application/problem+json']),
          `${method} ${path}`,
        );
      }
    }
    const register = doc.json.paths['/api/users/register'].post;
    assert.ok(
      ['201', '400', '409', '413', '415'].every((s) => register.responses[s]),
      'register lists its own errors',
    );
    assert.ok(register.responses['201'].links, 'register links to the user it made');
    assert.ok(doc.json.paths['/api/users/{id}'].delete.responses['204'], 'a delete answers 204, as documented');
    assert.ok(!doc.json.paths['/api/users/{id}'].delete.responses['200']);
    const page = await fetch(`${s.base}/docs/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /swagger/i);
  });

  test('a service that is down is a 503 problem with Retry-After, and the circuit then fails fast', async () => {
    // A gateway of its own, whose products service is a port nothing listens on.
    const gw = await buildApp(
      readConfig({
        USERS_URL: s.base,
        PRODUCTS_URL: 'http://127.0.0.1:1',
        RATE_LIMIT_PER_MINUTE: '0',
        LOG_LEVEL: 'fatal',
      }),
    );
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await gw.inject('/api/products/1'));
    // Each GET is tried 3 times: the 2nd call brings the failures to 5 and opens the circuit.
    assert.deepEqual(
      answers.map((a) => [a.statusCode, a.json().code]),
      [[503, 'upstream_unreachable'], ...Array(3).fill([503, 'upstream_unavailable'])],
    );
    assert.equal(answers[0]!.headers['retry-after'], '2');
    const last = await gw.inject('/api/products/1');
    assert.equal(last.json().code, 'upstream_unavailable');
    assert.equal(last.headers['retry-after'], '10');
    await gw.close();
  });
});

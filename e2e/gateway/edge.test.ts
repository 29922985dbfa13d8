import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfigError } from '@emporium/kit';
import { readConfig } from '../../services/gateway/src/config.ts';
import { jsonDepth, MAX_JSON_DEPTH } from '../../services/gateway/src/edge/request-shape.ts';
import { rawRequest, startStack, type Stack } from './helpers.ts';

// What the gateway refuses itself, before any service sees the request.
let s: Stack;
before(async () => {
  s = await startStack({ BODY_LIMIT_BYTES: '16384', CORS_ORIGINS: 'https://shop.example.com, http://localhost:3000' });
});
after(() => s.close());

/** Lines the users service logged for a path since `from`: none means the request was not forwarded. */
const serviceSaw = (from: number, path: string) =>
  s.users.logs.lines.slice(from).filter((l) => l.includes(path)).length;

const nested = (depth: number) => '{"a":'.repeat(depth - 1) + '[1]' + '}'.repeat(depth - 1);

describe('bodies', () => {
  test(`JSON nested deeper than ${MAX_JSON_DEPTH} is a 400 problem and is not forwarded`, async () => {
    const before = s.users.logs.lines.length;
    const deep = await s.call('POST', '/api/users/login', nested(MAX_JSON_DEPTH + 1));
    assert.equal(deep.status, 400);
    assert.equal(deep.json.code, 'json_too_deep');
    assert.equal(deep.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    const veryDeep = await s.call('POST', '/api/users/login', '['.repeat(5_000) + ']'.repeat(5_000));
    assert.equal(veryDeep.json.code, 'json_too_deep');
    assert.equal(serviceSaw(before, '/api/users/login'), 0);
    // At the limit it is the service's business (here: a validation error, from the service).
    const atLimit = await s.call('POST', '/api/users/login', nested(MAX_JSON_DEPTH));
    assert.equal(atLimit.status, 400);
    assert.equal(atLimit.json.code, 'validation_failed');
    assert.ok(serviceSaw(before, '/api/users/login') >= 1);
  });

  test('brackets inside strings do not count as nesting', () => {
    assert.equal(jsonDepth(Buffer.from(JSON.stringify({ a: '[[[[{{{{', b: ['x\\"[['] }))), 2);
  });

  test('an oversized body sent in chunks, without a length, is 413 and is not forwarded', async () => {
    const before = s.users.logs.lines.length;
    const big = JSON.stringify({ username: 'chunky', email: 'c@example.com', password: 'x'.repeat(40_000) });
    const headers = { 'content-type': 'application/json', 'transfer-encoding': 'chunked' };
    const res = await rawRequest(s.base, 'POST', '/api/users/register', headers, big);
    assert.equal(res.status, 413);
    assert.equal(JSON.parse(res.text).code, 'payload_too_large');
    assert.equal(serviceSaw(before, '/api/users/register'), 0);
  });
});

describe('CORS', () => {
  test('a listed origin is allowed, without credentials; any other gets no CORS headers', async () => {
    const allowed = await s.call('GET', '/api/products', undefined, { origin: 'https://shop.example.com' });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://shop.example.com');
    assert.match(allowed.headers.get('vary') ?? '', /origin/i);
    assert.equal(allowed.headers.get('access-control-allow-credentials'), null);
    const other = await s.call('GET', '/api/products', undefined, { origin: 'https://evil.example.net' });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  test('a preflight from a listed origin may send the Authorization header', async () => {
    const res = await s.call('OPTIONS', '/api/users/me', undefined, {
      origin: 'http://localhost:3000',
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://localhost:3000');
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /authorization/);
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
  });

  test('a wildcard or anything that is not an origin is refused at start', () => {
    const refused = ['*', 'https://a.example.com,*', 'https://a.example.com/', 'a.example.com', 'ftp://x.example'];
    for (const value of refused) {
      assert.throws(() => readConfig({ CORS_ORIGINS: value }), ConfigError, value);
    }
    assert.doesNotThrow(() => readConfig({ CORS_ORIGINS: 'https://a.example.com,http://localhost:3000' }));
  });
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { buildApp } from '../../services/gateway/src/app.ts';
import { readConfig } from '../../services/gateway/src/config.ts';
import { addressOf, startStack, type Stack } from './helpers.ts';

let s: Stack;
before(async () => {
  s = await startStack({ RATE_LIMIT_PER_MINUTE: '5' });
});
after(() => s.close());

test('the 6th request in a minute is a 429 problem with Retry-After; health checks are never limited', async () => {
  const codes: number[] = [];
  for (let i = 0; i < 6; i++) codes.push((await s.call('GET', '/api/users/me')).status);
  assert.deepEqual(codes, [401, 401, 401, 401, 401, 429]);
  const limited = await s.call('GET', '/api/users/me');
  assert.equal(limited.json.code, 'rate_limited');
  assert.equal(limited.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  for (let i = 0; i < 10; i++) assert.equal((await s.call('GET', '/health')).status, 200);
});

test('signed-in callers are limited per user, not per address', async () => {
  // Tokens are minted directly by the users service so these calls do not spend the address's budget.
  const reg = await s.users.app.inject({
    method: 'POST',
    url: '/api/users/register',
    payload: { username: 'rl_a', email: 'rl_a@example.com', password: 'a-good-password' },
  });
  const reg2 = await s.users.app.inject({
    method: 'POST',
    url: '/api/users/register',
    payload: { username: 'rl_b', email: 'rl_b@example.com', password: 'a-good-password' },
  });
  assert.deepEqual([reg.statusCode, reg2.statusCode], [201, 201]);
  const tokenOf = async (name: string) =>
    (
      await s.users.app.inject({
        method: 'POST',
        url: '/api/users/login',
        payload: { username: name, password: 'a-good-password' },
      })
    ).json().access_token;
  const a = { authorization: `Bearer ${await tokenOf('rl_a')}` };
  const b = { authorization: `Bearer ${await tokenOf('rl_b')}` };
  for (let i = 0; i < 5; i++) assert.equal((await s.call('GET', '/api/users/me', undefined, a)).status, 200);
  assert.equal((await s.call('GET', '/api/users/me', undefined, a)).status, 429);
  assert.equal((await s.call('GET', '/api/users/me', undefined, b)).status, 200);
});

test('a request with a bad token spends its address budget before it is refused', async () => {
  const config = readConfig({ USERS_URL: addressOf(s.users.app), RATE_LIMIT_PER_MINUTE: '3', LOG_LEVEL: 'fatal' });
  const gw = await buildApp(config);
  try {
    const from = (authorization?: string) =>
      gw.inject({ url: '/api/users/me', remoteAddress: '127.0.0.8', headers: authorization ? { authorization } : {} });
    const codes = [];
    for (const bad of ['Bearer not.a.jwt', 'Bearer x.y.z', 'Basic abc']) codes.push((await from(bad)).statusCode);
    assert.deepEqual(codes, [401, 401, 401]);
    const next = await from();
    assert.equal(next.statusCode, 429);
    assert.equal(next.json().code, 'rate_limited');
    assert.equal((await from('Bearer not.a.jwt')).statusCode, 429);
  } finally {
    await gw.close();
  }
});

const redisUrl = process.env['EMPORIUM_TEST_REDIS_URL'];

test(
  'with Redis, replicas share one budget per client',
  { skip: redisUrl ? false : 'redis-server is not installed' },
  async () => {
    const redis = new Redis(redisUrl!);
    const make = () =>
      buildApp(readConfig({ USERS_URL: addressOf(s.users.app), RATE_LIMIT_PER_MINUTE: '4', LOG_LEVEL: 'fatal' }), {
        redis,
      });
    const [one, two] = await Promise.all([make(), make()]);
    try {
      const codes = [];
      for (const gw of [one, two, one, two, one, two])
        codes.push((await gw.inject({ url: '/api/users/me', remoteAddress: '127.0.0.9' })).statusCode);
      assert.deepEqual(codes, [401, 401, 401, 401, 429, 429]);
      const keys = await redis.keys('emporium:gateway:ratelimit:*');
      assert.ok(keys.length > 0, 'the counters live in Redis');
    } finally {
      await one.close();
      await two.close();
      await redis.quit();
    }
  },
);

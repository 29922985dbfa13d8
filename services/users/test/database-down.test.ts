import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { after, before, test } from 'node:test';
import { createPool, type Pool } from '@emporium/kit';
import { captureLogs, newSigningKey } from '@emporium/kit/testing';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';

// A database that is away (nothing listening, or a server that hangs up) is a 503 with Retry-After, never a 500.
let dropper: Server;
const pools: Pool[] = [];
before(async () => {
  dropper = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await new Promise((resolve) => dropper.close(resolve));
});

async function usersOn(databaseUrl: string) {
  const key = newSigningKey().pem;
  const config = readConfig({ DATABASE_URL: databaseUrl, JWT_PRIVATE_KEY: key, BCRYPT_COST: '4', LOG_LEVEL: 'fatal' });
  const pool = createPool(databaseUrl, 2);
  pools.push(pool);
  return buildApp(config, { pool, logStream: captureLogs().stream });
}

for (const [name, url] of [
  ['nothing listening', 'postgres://users:pw@127.0.0.1:1/users'],
  ['a server that hangs up', () => `postgres://users:pw@127.0.0.1:${(dropper.address() as AddressInfo).port}/users`],
] as const) {
  test(`${name}: login, registration and reset answer 503 with Retry-After`, async () => {
    const app = await usersOn(typeof url === 'string' ? url : url());
    try {
      const account = { username: 'someone', email: 'someone@example.com', password: 'a-good-password' };
      const requests = [
        { url: '/api/users/login', payload: { username: account.username, password: account.password } },
        { url: '/api/users/register', payload: account },
        { url: '/api/users/password-reset', payload: { email: account.email } },
      ];
      for (const r of requests) {
        const res = await app.inject({ method: 'POST', ...r });
        assert.equal(res.statusCode, 503, `${r.url}: ${res.body}`);
        assert.equal(res.json().code, 'database_unavailable');
        assert.equal(res.headers['retry-after'], '5');
        assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      }
    } finally {
      await app.close();
    }
  });
}

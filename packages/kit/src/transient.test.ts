import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildServiceApp } from './app.ts';
import { createPool, withTransaction } from './db.ts';
import { createServiceClient } from './http-client.ts';
import { captureLogs } from './testing/index.ts';

async function appWith(routes: Record<string, () => Promise<unknown>>) {
  const logs = captureLogs();
  const app = await buildServiceApp({ service: 'demo', logStream: logs.stream });
  for (const [path, handler] of Object.entries(routes)) app.get(path, handler);
  return Object.assign(app, { logs });
}

test('a database that refuses connections is a 503 with Retry-After, and it is logged', async () => {
  const timeouts = { connectTimeoutMs: 1_000, statementTimeoutMs: 1_000 };
  const pool = createPool('postgres://nobody:x@127.0.0.1:1/none', 1, timeouts);
  const app = await appWith({ '/db': async () => (await pool.query('SELECT 1')).rows });
  try {
    const res = await app.inject('/db');
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['retry-after'], '5');
    assert.equal(res.json().code, 'dependency_unavailable');
    assert.ok(app.logs.lines.some((l) => l.includes('"level":"error"') && l.includes('request failed')));
  } finally {
    await app.close();
    await pool.end();
  }
});

const pgUrl = process.env['EMPORIUM_TEST_PG_URL'];
const noPg = !pgUrl && 'no test PostgreSQL';
test('a statement past the database timeout is cancelled by PostgreSQL and answered 503', { skip: noPg }, async () => {
  const pool = createPool(pgUrl!, 1, { connectTimeoutMs: 5_000, statementTimeoutMs: 200 });
  const app = await appWith({ '/slow': async () => (await pool.query('SELECT pg_sleep(2)')).rows });
  try {
    const started = Date.now();
    const res = await app.inject('/slow');
    assert.equal(res.statusCode, 503);
    assert.ok(res.headers['retry-after']);
    assert.ok(Date.now() - started < 1_500, 'cancelled at the statement timeout, not after the sleep');
  } finally {
    await app.close();
    await pool.end();
  }
});

test(
  'a connection lost mid-transaction fails the transaction; it is no uncaught exception',
  { skip: noPg },
  async () => {
    const pool = createPool(pgUrl!, 2);
    const uncaught: string[] = [];
    const onUncaught = (err: Error) => uncaught.push(err.message);
    process.on('uncaughtException', onUncaught);
    try {
      const failed = withTransaction(pool, async (tx) => {
        const pid = (await tx.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        // Dropped between two queries, as a database restart or failover does, while the client is checked out.
        await pool.query('SELECT pg_terminate_backend($1)', [pid]);
        await new Promise((r) => setTimeout(r, 200));
        await tx.query('SELECT 1');
      });
      await assert.rejects(failed);
      assert.deepEqual(uncaught, []);
      assert.equal((await pool.query('SELECT 1 AS one')).rows[0].one, 1, 'the pool goes on with a new connection');
    } finally {
      process.off('uncaughtException', onUncaught);
      await pool.end();
    }
  },
);

test("our own parsing failing is a logged 5xx, not the client's malformed_json", async () => {
  const upstream = await buildServiceApp({ service: 'up', logStream: captureLogs().stream });
  upstream.get('/garbage', async (_req, reply) => reply.type('application/json').send('{"half": '));
  await upstream.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(upstream.server.address() as { port: number }).port}`;
  const client = createServiceClient({ target: 'up', baseUrl, timeoutMs: 2_000 });
  const app = await appWith({
    '/cache': async () => JSON.parse('{"corrupt cache entry'),
    '/upstream': async () => (await client.json({ method: 'GET', path: '/garbage' })).body,
  });
  try {
    const own = await app.inject('/cache');
    assert.equal(own.statusCode, 500);
    assert.equal(own.json().code, 'internal_error');
    const up = await app.inject('/upstream');
    assert.equal(up.statusCode, 502);
    assert.equal(up.json().code, 'upstream_invalid_response');
    assert.equal(app.logs.lines.filter((l) => l.includes('request failed')).length, 2);
  } finally {
    await app.close();
    await client.close();
    await upstream.close();
  }
});

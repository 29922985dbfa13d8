import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../services/gateway/src/app.ts';
import { readConfig } from '../../services/gateway/src/config.ts';
import { createPool, createTokenVerifier } from '@emporium/kit';
import { captureLogs, createTestDatabase } from '@emporium/kit/testing';
import path from 'node:path';
import { buildApp as buildAnalytics } from '../../services/analytics/src/app.ts';
import { readConfig as readAnalyticsConfig } from '../../services/analytics/src/config.ts';
import { brokers, consumeFrom, result, waitFor } from '../../services/analytics/test/helpers.ts';
import { openEventStream } from '../../services/analytics/test/sse-client.ts';
import { addressOf, startStack, type Stack } from '../gateway/helpers.ts';

// Results written to Kafka in transactions, as the Flink job's sink does, read through the gateway by
// real users' tokens: the analytics service, its PostgreSQL, the broker, the users service and the gateway.
const skip = brokers.length ? false : 'no Kafka broker (run with npm test)';

describe('analytics through the gateway', { skip }, () => {
  let s: Stack;
  let analytics: Awaited<ReturnType<typeof buildAnalytics>>;
  let gateway: Awaited<ReturnType<typeof buildApp>>;
  let kafka: Awaited<ReturnType<typeof consumeFrom>>;
  let base: string;
  let admin: { authorization: string };
  let customer: { authorization: string };
  let close: () => Promise<void>;

  before(async () => {
    s = await startStack();
    const db = await createTestDatabase(path.join(import.meta.dirname, '../../services/analytics/migrations'));
    const pool = createPool(db.url, 10);
    const jwks = `${addressOf(s.users.app)}/.well-known/jwks.json`;
    const config = readAnalyticsConfig({
      DATABASE_URL: db.url,
      JWKS_URL: jwks,
      LOG_LEVEL: 'warn',
      STREAM_HEARTBEAT_MS: '500',
    });
    analytics = await buildAnalytics(config, {
      pool,
      verify: createTokenVerifier({ jwksUrl: jwks }),
      logStream: captureLogs().stream,
    });
    await analytics.listen({ port: 0, host: '127.0.0.1' });
    kafka = await consumeFrom({ app: analytics, pool });
    gateway = await buildApp(
      readConfig({
        USERS_URL: addressOf(s.users.app),
        ANALYTICS_URL: addressOf(analytics),
        RATE_LIMIT_PER_MINUTE: '0',
        LOG_LEVEL: 'warn',
      }),
      { logStream: captureLogs().stream },
    );
    await gateway.listen({ port: 0, host: '127.0.0.1' });
    base = addressOf(gateway);
    await s.users.app.userService.bootstrapAdmin('analyst@example.com', 'analyst-password-1');
    const login = await s.call('POST', '/api/users/login', {
      email: 'analyst@example.com',
      password: 'analyst-password-1',
    });
    admin = { authorization: `Bearer ${login.json.access_token}` };
    customer = (await s.signUp('an_customer')).auth;
    close = async () => {
      await kafka.stop();
      await gateway.close();
      await analytics.close();
      await pool.end();
      await db.drop();
      await s.close();
    };
  });
  after(() => close());

  const get = async (p: string, headers: Record<string, string> = admin) => {
    const res = await fetch(base + p, { headers });
    return { status: res.status, json: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  test('a window published in a committed transaction reaches an admin; 401 without a token, 403 for a customer', async () => {
    const w = '2025-11-23T10:00:00.000Z';
    await kafka.publish([result('window_summary', w, { orders_placed: 9, orders_paid: 7 })], 'abort');
    await kafka.publish([
      result('window_summary', w, { orders_placed: 4, orders_paid: 3, revenue: 45.5, average_order_value: 15.17 }),
      result('top_products', w, { rank: 1, product_id: 5, product_name: 'Kettle', quantity: 3, revenue: 45.5 }),
    ]);
    const latest = await waitFor(
      'the window through the gateway',
      () => get('/api/analytics/windows/latest'),
      (r) => r.status === 200 && r.json.top_products.length === 1,
    );
    assert.deepEqual(
      [
        latest.json.summary.orders_placed,
        latest.json.summary.orders_paid,
        latest.json.summary.revenue,
        latest.json.summary.revision,
      ],
      [4, 3, 45.5, 1],
      'the committed result, never the aborted one',
    );
    assert.equal(latest.json.top_products[0].product_name, 'Kettle');

    const none = await get('/api/analytics/windows/latest', {});
    assert.equal(none.status, 401);
    const refused = await get('/api/analytics/windows/latest', customer);
    assert.equal(refused.status, 403);
    assert.equal(refused.json.code, 'admin_only');
    assert.equal((await get('/api/analytics/stream', {})).status, 401);
    const streamRefused = await fetch(`${base}/api/analytics/stream`, {
      headers: { ...customer, accept: 'text/event-stream' },
    });
    assert.equal(streamRefused.status, 403);
    assert.equal(streamRefused.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(((await streamRefused.json()) as { code: string }).code, 'admin_only');

    const ranged = await get(`/api/analytics/windows?from=${w}&to=2025-11-23T10:05:00.000Z`);
    assert.deepEqual(
      ranged.json.items.map((x: { window_start: string }) => x.window_start),
      [w],
    );
    assert.equal((await get('/api/analytics/windows?from=2025-11-23T10:05:00.000Z')).json.items.length, 0);
  });

  test('the stream delivers a new result end to end, through the gateway, as it happens', async () => {
    const stream = await openEventStream(`${base}/api/analytics/stream`, admin);
    try {
      assert.equal(stream.status, 200);
      assert.equal(stream.headers['content-type'], 'text/event-stream; charset=utf-8');
      await stream.until('the opening comment through the gateway', () => stream.comments.includes('connected'));
      const w = '2025-11-23T10:05:00.000Z';
      await kafka.publish([result('anomaly', w, { metric: 'orders_placed', value: 40, expected: 8 })]);
      await stream.until('the new result', () => stream.results().length === 1);
      const [got] = stream.results();
      assert.deepEqual([got.result_type, got.window_start, got.metric, got.value], ['anomaly', w, 'orders_placed', 40]);
      // Heartbeats pass through unbuffered too.
      await stream.until('a heartbeat', () => stream.comments.includes('heartbeat'));
    } finally {
      await stream.close();
    }
  });
});

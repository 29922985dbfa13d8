import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TOPICS } from '@emporium/events';
import { ensureTopics } from '@emporium/messaging';
import { testBrokers } from '@emporium/messaging/testing';
import { startAnalytics, type AnalyticsHandle } from '../../platform/analytics.ts';
import { startKafka, type KafkaHandle } from '../../platform/kafka.ts';
import { address, startShop, type Shop } from '../checkout/shop.ts';
import { analyticsService, expectedSummaries, type OrderEventLike, type Summary } from './analytics-shop.ts';
import { follow, freePort, waitFor } from './job-results.ts';

// Orders placed through the gateway (users, products, orders and payments services, their outbox relays) reach
// the Flink job on a broker of this test's own (the shared one carries every suite's orders), and the analytics API
// serves its window_summary to an admin. Windows of 10 s with 5 s of lateness, so a window closes in seconds.
const WINDOW_S = 10;
const LATENESS_S = 5;
const skip = testBrokers().length ? false : 'no test PostgreSQL and broker (run with npm test)';

test(
  'orders placed through the gateway appear in window_summary with exact counts and revenue, for admins only',
  { skip, timeout: 600_000 },
  async (t) => {
    const run = randomBytes(3).toString('hex');
    const dir = await mkdtemp(path.join(tmpdir(), 'emporium-analytics-shop-'));
    let kafka: KafkaHandle | undefined;
    let job: AnalyticsHandle | undefined;
    let jobStarting: Promise<AnalyticsHandle> | undefined;
    let shop: Shop | undefined;
    let orders: Awaited<ReturnType<typeof follow<OrderEventLike>>> | undefined;
    try {
      kafka = await startKafka({ dataDir: path.join(dir, 'kafka'), port: 29192, portAttempts: 50, heapMb: 384 });
      const brokers = kafka.brokers;
      // One partition: every event moves the watermark (a quiet partition would hold it back until idle).
      const topics = [TOPICS.orders.name, 'analytics-results', 'analytics-results.dlq'];
      await ensureTopics(
        brokers,
        topics.map((name) => ({ name, partitions: 1 })),
        1,
      );
      const ports = { metricsPort: await freePort(), restPort: await freePort(), blobPort: await freePort() };
      jobStarting = startAnalytics({
        brokers,
        storageUrl: pathToFileURL(path.join(dir, 'storage')).href,
        ...ports,
        checkpointIntervalMs: 2_000,
        windows: { sizeSeconds: WINDOW_S, latenessSeconds: LATENESS_S },
        groupId: `analytics-shop-${run}`,
        heapMb: 512,
        quickStart: true,
        logFile: path.join(dir, 'job.log'),
      });
      jobStarting.catch(() => undefined); // awaited below; a failed start must not go unhandled meanwhile
      shop = await startShop({ brokers, extraServices: analyticsService(brokers) });
      job = await jobStarting;
      orders = await follow<OrderEventLike>(brokers, TOPICS.orders.name);
      const s = shop;

      const buyer = await s.login(`analytics_buyer_${run}`);
      const kettle = await s.product(20, 12.5);
      const mug = await s.product(20, 4.25);
      const place = async (items: unknown[], country: string, payment_method = 'pm_card_visa') =>
        s.call('POST', '/api/orders', { items, shipping_address: { ...address, country }, payment_method }, buyer.auth);
      const paidA = await place([{ product_id: kettle.id, quantity: 2 }], 'GB'); // 25.00
      const paidB = await place([{ product_id: mug.id, quantity: 3 }], 'DE'); // 12.75
      const refunded = await place(
        [
          { product_id: kettle.id, quantity: 1 },
          { product_id: mug.id, quantity: 1 },
        ],
        'FR',
      ); // 16.75, paid then refunded in full
      const declined = await place([{ product_id: mug.id, quantity: 1 }], 'GB', 'pm_card_chargeDeclined');
      assert.deepEqual(
        [paidA.status, paidB.status, refunded.status, declined.status],
        [201, 201, 201, 402],
        JSON.stringify(declined.json),
      );
      const cancelled = await s.call('DELETE', `/api/orders/${refunded.json.id}`, undefined, buyer.auth);
      assert.equal(cancelled.status, 200);
      const ids = new Set<number>([paidA.json.id, paidB.json.id, refunded.json.id, declined.json.order_id]);

      // Every event of these orders on the topic (the refund may finish in recovery on a busy machine).
      const ofOrders = (set: Set<number>) => orders!.seen.map((m) => m.value).filter((e) => set.has(e.order_id));
      const count = (set: Set<number>, type: string) => ofOrders(set).filter((e) => e.event_type === type).length;
      const all = {
        order_created: 4,
        payment_succeeded: 3,
        payment_failed: 1,
        payment_refunded: 1,
        order_cancelled: 2,
      };
      await waitFor(
        'the orders’ events on the orders topic',
        async () => {
          if (count(ids, 'payment_refunded') === 0) await s.orders.recovery.recoverOnce().catch(() => undefined);
          return Object.entries(all).every(([type, n]) => count(ids, type) === n);
        },
        180_000,
      );

      // The watermark passes their windows once an event lateness past the last window's end arrives: one more order.
      const lastAt = Math.max(...ofOrders(ids).map((e) => Date.parse(e.timestamp)));
      const lastEnd = lastAt - (lastAt % (WINDOW_S * 1000)) + WINDOW_S * 1000;
      const closesAt = lastEnd + LATENESS_S * 1000;
      await waitFor('the clock past the last window and its lateness', () => Date.now() > closesAt + 500, 60_000);
      const closer = await place([{ product_id: mug.id, quantity: 1 }], 'GB');
      assert.equal(closer.status, 201);
      await waitFor('the closing order on the topic', () => count(new Set([closer.json.id]), 'payment_succeeded') > 0);
      const expected = expectedSummaries(ofOrders(ids), WINDOW_S * 1000);

      const starts = [...expected.keys()].sort();
      const range = `from=${starts[0]}&to=${new Date(lastEnd).toISOString()}&limit=50`;
      const windows = await waitFor(
        `${starts.length} windows through the gateway`,
        async () => {
          const res = await s.call('GET', `/api/analytics/windows?${range}`, undefined, s.admin);
          return res.status === 200 && res.json.items.length === starts.length ? res.json.items : undefined;
        },
        180_000,
      );
      const got = new Map<string, Summary>(
        (windows as (Summary & { window_start: string })[]).map((w) => [
          w.window_start,
          { orders_placed: w.orders_placed, orders_paid: w.orders_paid, revenue: w.revenue },
        ]),
      );
      assert.deepEqual(got, expected);
      const total = [...got.values()].reduce(
        (sum, w) => ({
          orders_placed: sum.orders_placed + w.orders_placed,
          orders_paid: sum.orders_paid + w.orders_paid,
          revenue: Math.round((sum.revenue + w.revenue) * 100) / 100,
        }),
        { orders_placed: 0, orders_paid: 0, revenue: 0 },
      );
      assert.deepEqual(total, { orders_placed: 4, orders_paid: 3, revenue: 37.75 }, 'every order once, refund netted');
      t.diagnostic(`${starts.length} window(s): ${JSON.stringify([...got])}`);

      const one = await s.call('GET', `/api/analytics/windows/${starts[0]}`, undefined, s.admin);
      assert.equal(one.status, 200);
      assert.deepEqual(
        { ...expected.get(starts[0]!) },
        {
          orders_placed: one.json.summary.orders_placed,
          orders_paid: one.json.summary.orders_paid,
          revenue: one.json.summary.revenue,
        },
      );
      assert.equal((await s.call('GET', `/api/analytics/windows?${range}`)).status, 401);
      const refused = await s.call('GET', `/api/analytics/windows?${range}`, undefined, buyer.auth);
      assert.deepEqual([refused.status, refused.json.code], [403, 'admin_only']);
    } finally {
      await orders?.close();
      await (job ?? (await jobStarting?.catch(() => undefined)))?.stop();
      await shop?.close();
      await kafka?.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
);

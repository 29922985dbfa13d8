import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testBrokers } from '@emporium/messaging/testing';
import { address, startShop, type Shop } from '../checkout/shop.ts';
import { checkBooks } from './books.ts';
import { freePort, serviceChild, type ServiceChild } from './child.ts';
import { drive, type Answer, type LoadPlan } from './load-driver.ts';

// Fault 12 of docs/reliability.md: twice the checkouts the shop can take, offered open loop. The gateway runs as a
// process of its own with its default shedding settings, and the load comes from another process, so neither
// shares an event loop with the services (which run here, in the test's process).
const skip = testBrokers().length ? false : 'no Kafka broker (run with npm test)';
let s: Shop;
let gateway: ServiceChild;
let metricsUrl: string;
before(async () => {
  if (skip) return;
  s = await startShop();
  const metricsPort = await freePort();
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  gateway = serviceChild('gateway', {
    PORT: String(await freePort()),
    METRICS_PORT: String(metricsPort),
    USERS_URL: s.urls.users,
    PRODUCTS_URL: s.urls.products,
    ORDERS_URL: s.urls.orders,
    PAYMENTS_URL: s.urls.payments,
    JWKS_URL: s.jwks,
    RATE_LIMIT_PER_MINUTE: '0',
  });
  await gateway.start();
});
after(async () => {
  if (skip) return;
  await gateway.kill('SIGTERM');
  await s.close();
});

const STOCK = 100_000;
// A patient client (half the gateway's own 30 s upstream timeout): shedding keeps answers well inside it.
const TIMEOUT_MS = 15_000;
const percentile = (answers: Answer[], p: number) => {
  const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
  return ms.length ? Math.round(ms[Math.min(ms.length - 1, Math.floor((ms.length * p) / 100))]!) : 0;
};
const count = (answers: Answer[], ok: (a: Answer) => boolean) => answers.filter(ok).length;

test(
  'twice the capacity, open loop: every answer is a 201 or a fast 503 problem, none times out; the books balance',
  { skip, timeout: 300_000 },
  async (t) => {
    const items = await Promise.all([s.product(STOCK, 7), s.product(STOCK, 12.5), s.product(STOCK, 3)]);
    const buyers = await Promise.all(Array.from({ length: 12 }, (_, i) => s.login(`overload_${i}`)));
    const requests = buyers.map((b, i) => ({
      headers: b.auth,
      body: { items: [{ product_id: items[i % 3]!.id, quantity: 1 + (i % 2) }], shipping_address: address },
    }));
    const plan = { url: `${gateway.url}/api/orders`, timeoutMs: TIMEOUT_MS, requests } satisfies Partial<LoadPlan>;

    // Capacity: clients back to back (after a warm-up). Eight keep the services (one CPU here) busy, and are as
    // many as the gateway always lets through, so nothing is shed while measuring.
    const warm = await drive({ ...plan, mode: 'closed', seconds: 2, concurrency: 8 });
    const closed = await drive({ ...plan, mode: 'closed', seconds: 5, concurrency: 8 });
    const capacity = count(closed, (a) => a.status === 201) / 5;
    assert.ok(capacity > 0, 'the shop took orders');

    const seconds = 6;
    const open = await drive({ ...plan, mode: 'open', seconds, rate: Math.ceil(2 * capacity) });
    const placed = open.filter((a) => a.status === 201);
    const shed = open.filter((a) => a.status === 503 || a.status === 429);
    const failed = open.filter((a) => a.status === 0);
    t.diagnostic(
      `capacity ${capacity.toFixed(0)}/s closed loop (8 clients; p50 ${percentile(closed, 50)} ms); ` +
        `offered ${open.length} in ${seconds} s (${(open.length / seconds).toFixed(0)}/s): ` +
        `${placed.length} × 201 (${(placed.length / seconds).toFixed(0)}/s, p50 ${percentile(placed, 50)} ms, ` +
        `p99 ${percentile(placed, 99)} ms), ${shed.length} shed (p50 ${percentile(shed, 50)} ms, ` +
        `p99 ${percentile(shed, 99)} ms), ${failed.length} without an answer; the gateway's count of sheds: ` +
        (await fetch(metricsUrl).then((r) => r.text()))
          .split('\n')
          .filter((l) => l.startsWith('emporium_gateway_shed_requests_total{'))
          .map((l) => l.replace(/^[^{]*\{|service="gateway",?/g, ''))
          .join(', '),
    );

    const odd = open.filter((a) => ![0, 201, 429, 503].includes(a.status));
    assert.deepEqual(odd, [], 'only placed orders and refusals');
    // No allowance: a shedding gateway answers every request, so a client never has to give up or is cut off.
    assert.deepEqual(failed, [], 'every request got an answer before the client gave up');
    assert.ok(shed.length > 0, 'twice the capacity sheds');
    for (const a of shed) {
      assert.equal(a.contentType, 'application/problem+json; charset=utf-8');
      assert.ok(a.code === 'overloaded' || a.code === 'rate_limited', JSON.stringify(a));
      assert.ok(Number(a.retryAfter) > 0, 'a refusal says when to come back');
    }
    // Shedding keeps the shop working rather than only refusing: a good share of its capacity is still placed.
    assert.ok(placed.length >= capacity * seconds * 0.3, `${placed.length} placed at twice ${capacity}/s`);

    // Once the surge is over, the shop serves everyone again.
    const recovered = await drive({ ...plan, mode: 'closed', seconds: 2, concurrency: 4 });
    assert.ok(recovered.length > 0);
    assert.deepEqual(
      recovered.filter((a) => a.status !== 201),
      [],
      'after the surge every checkout is placed',
    );

    const orders = await checkBooks(
      s,
      items.map((p) => ({ id: p.id, initial: STOCK })),
    );
    const answered = [...warm, ...closed, ...open, ...recovered].filter((a) => a.status === 201);
    // A refused request never reached the order service: exactly the orders answered 201 exist, all sold.
    assert.deepEqual(
      orders.map((o) => o.id).sort(),
      answered.map((a) => a.id!).sort((a, b) => a - b),
    );
    assert.deepEqual(
      orders.filter((o) => o.status !== 'processing'),
      [],
    );
  },
);

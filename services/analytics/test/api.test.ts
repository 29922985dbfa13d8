import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ingest, result, startAnalytics, type Analytics } from './helpers.ts';

// The admin API over results stored in the real PostgreSQL.
let a: Analytics;
let admin: { authorization: string };
before(async () => {
  a = await startAnalytics();
  admin = await a.auth('admin');
});
after(() => a.close());

const get = async (url: string, headers: Record<string, string> = admin) => {
  const res = await a.app.inject({ method: 'GET', url, headers });
  return { status: res.statusCode, json: res.json(), headers: res.headers };
};
const at = (hh: number, mm: number) =>
  `2025-11-23T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00.000Z`;

const ROUTES = [
  '/api/analytics/windows/latest',
  `/api/analytics/windows/${at(10, 0)}`,
  '/api/analytics/windows',
  '/api/analytics/top-products',
  '/api/analytics/regions',
  '/api/analytics/peak-hours',
  '/api/analytics/anomalies',
  '/api/analytics/stream',
];

describe('who may read analytics', () => {
  test('without a token 401, as a customer 403, on every route; problem+json either way', async () => {
    const customer = await a.auth('customer');
    for (const url of ROUTES) {
      const none = await get(url, {});
      assert.equal(none.status, 401, url);
      assert.equal(none.json.code, 'missing_token');
      assert.match(String(none.headers['content-type']), /^application\/problem\+json/);
      const refused = await get(url, customer);
      assert.equal(refused.status, 403, url);
      assert.equal(refused.json.code, 'admin_only');
    }
  });

  test('before any result: the latest window is 404, lists are empty, peak hours all zero', async () => {
    assert.equal((await get('/api/analytics/windows/latest')).json.code, 'window_not_found');
    assert.deepEqual((await get('/api/analytics/windows')).json, { items: [], next_cursor: null });
    const hours = (await get('/api/analytics/peak-hours')).json;
    assert.equal(hours.hours.length, 24);
    assert.equal(hours.peak_hour, null);
  });
});

describe('windows, products, regions, hours and anomalies', () => {
  before(async () => {
    const results = [];
    // Twelve windows, 10:00 to 10:55; window i has i + 1 paid orders of 10.00 each.
    for (let i = 0; i < 12; i++) {
      const w = at(10, i * 5);
      const paid = i + 1;
      results.push(
        result('window_summary', w, {
          orders_placed: paid + 1,
          orders_paid: paid,
          revenue: paid * 10,
          average_order_value: 10,
        }),
        result('orders_by_region', w, { region: 'GB', orders_paid: paid, revenue: paid * 10 }),
        result('peak_hours', w, { hour: 10, orders_paid: paid, revenue: paid * 10 }),
      );
    }
    results.push(
      result('orders_by_region', at(10, 0), { region: 'FR', orders_paid: 100, revenue: 1000.01 }),
      result('peak_hours', at(11, 0), { hour: 11, orders_paid: 200, revenue: 2000 }),
      result('window_summary', at(11, 0), {
        orders_placed: 200,
        orders_paid: 200,
        revenue: 2000,
        average_order_value: 10,
      }),
      result('top_products', at(11, 0), { rank: 2, product_id: 8, product_name: 'Mug', quantity: 3 }),
      result('top_products', at(11, 0), { rank: 1, product_id: 7, product_name: 'Pen', quantity: 9 }),
      result('top_products', at(10, 55), { rank: 1, product_id: 9, product_name: 'Cup', quantity: 1 }),
      result('anomaly', at(11, 0), { metric: 'orders_placed', value: 200, expected: 7 }),
      result('anomaly', at(11, 0), { metric: 'revenue', value: 2000, expected: 70 }),
      result('anomaly', at(10, 30), { metric: 'revenue', value: 70, expected: 20 }),
    );
    await ingest(a, results);
  });

  test('the latest window comes whole: summary, ranked products, anomalies', async () => {
    const { status, json } = await get('/api/analytics/windows/latest');
    assert.equal(status, 200);
    assert.equal(json.window_start, at(11, 0));
    assert.equal(json.window_end, at(11, 5));
    assert.equal(json.summary.orders_paid, 200);
    assert.equal(json.summary.revision, 1);
    assert.deepEqual(
      json.top_products.map((p: { rank: number; product_name: string }) => [p.rank, p.product_name]),
      [
        [1, 'Pen'],
        [2, 'Mug'],
      ],
    );
    assert.deepEqual(json.anomalies.map((x: { metric: string }) => x.metric).sort(), ['orders_placed', 'revenue']);
    assert.deepEqual(
      json.peak_hours.map((h: { hour: number }) => h.hour),
      [11],
    );
    assert.deepEqual(
      (await get(`/api/analytics/windows/${at(10, 0)}`)).json.regions.map((r: { region: string }) => r.region),
      ['FR', 'GB'],
    );
    assert.equal((await get(`/api/analytics/windows/${at(9, 0)}`)).status, 404);
  });

  test('past windows: newest first, filtered by time range, paginated without gaps or repeats', async () => {
    const range = `from=${at(10, 15)}&to=${at(10, 40)}`;
    const first = (await get(`/api/analytics/windows?${range}&limit=2`)).json;
    assert.deepEqual(
      first.items.map((w: { window_start: string }) => w.window_start),
      [at(10, 35), at(10, 30)],
    );
    assert.equal(first.items[0].orders_paid, 8);
    const seen = [...first.items];
    let cursor = first.next_cursor;
    while (cursor) {
      const next = (await get(`/api/analytics/windows?${range}&limit=2&cursor=${cursor}`)).json;
      seen.push(...next.items);
      cursor = next.next_cursor;
    }
    assert.deepEqual(
      seen.map((w) => w.window_start),
      [at(10, 35), at(10, 30), at(10, 25), at(10, 20), at(10, 15)],
      'from is inclusive, to exclusive',
    );
    assert.equal((await get('/api/analytics/windows?limit=100')).json.items.length, 13);
  });

  test('top products per window, newest window first, by rank', async () => {
    const page = (await get('/api/analytics/top-products?limit=1')).json;
    assert.equal(page.items.length, 1);
    assert.equal(page.items[0].window_start, at(11, 0));
    assert.deepEqual(
      page.items[0].products.map((p: { product_id: number }) => p.product_id),
      [7, 8],
    );
    const next = (await get(`/api/analytics/top-products?limit=1&cursor=${page.next_cursor}`)).json;
    assert.deepEqual(
      next.items.map((w: { window_start: string }) => w.window_start),
      [at(10, 55)],
    );
    assert.equal(next.next_cursor, null);
  });

  test('regions are summed over the range, by revenue', async () => {
    const all = (await get('/api/analytics/regions')).json;
    assert.deepEqual(all.items, [
      { region: 'FR', orders_paid: 100, revenue: 1000.01, windows: 1 },
      { region: 'GB', orders_paid: 78, revenue: 780, windows: 12 },
    ]);
    const later = (await get(`/api/analytics/regions?from=${at(10, 5)}`)).json;
    assert.deepEqual(later.items, [{ region: 'GB', orders_paid: 77, revenue: 770, windows: 11 }]);
    const paged = (await get('/api/analytics/regions?limit=1')).json;
    assert.equal(paged.items[0].region, 'FR');
    assert.equal((await get(`/api/analytics/regions?limit=1&cursor=${paged.next_cursor}`)).json.items[0].region, 'GB');
  });

  test('peak hours: paid orders per hour of day over the range, and the peak', async () => {
    const all = (await get('/api/analytics/peak-hours')).json;
    assert.equal(all.peak_hour, 11);
    assert.deepEqual(all.hours[10], { hour: 10, orders_paid: 78, revenue: 780 });
    assert.deepEqual(all.hours[0], { hour: 0, orders_paid: 0, revenue: 0 });
    const morning = (await get(`/api/analytics/peak-hours?to=${at(11, 0)}`)).json;
    assert.equal(morning.peak_hour, 10);
    assert.equal(morning.to, at(11, 0));
  });

  test('anomalies newest first, by metric, paginated', async () => {
    const all = (await get('/api/analytics/anomalies')).json;
    assert.deepEqual(
      all.items.map((x: { window_start: string; metric: string }) => `${x.window_start} ${x.metric}`),
      [`${at(11, 0)} revenue`, `${at(11, 0)} orders_placed`, `${at(10, 30)} revenue`],
    );
    const revenue = (await get('/api/analytics/anomalies?metric=revenue&limit=1')).json;
    assert.equal(revenue.items[0].value, 2000);
    const rest = (await get(`/api/analytics/anomalies?metric=revenue&limit=1&cursor=${revenue.next_cursor}`)).json;
    assert.deepEqual(
      rest.items.map((x: { window_start: string }) => x.window_start),
      [at(10, 30)],
    );
    assert.equal(rest.next_cursor, null);
  });
});

describe('client mistakes are 400s that say what is wrong', () => {
  test('a range that ends before it starts, times no clock shows, bad cursors and limits', async () => {
    const cases: Array<[string, string]> = [
      [`/api/analytics/windows?from=${at(11, 0)}&to=${at(10, 0)}`, 'invalid_range'],
      [`/api/analytics/regions?from=${at(10, 0)}&to=${at(10, 0)}`, 'invalid_range'],
      ['/api/analytics/windows?from=0000-01-01T00:00:00Z', 'invalid_time'],
      ['/api/analytics/peak-hours?to=2025-06-30T23:59:60Z', 'invalid_time'],
      ['/api/analytics/windows/0000-01-01T00:00:00Z', 'invalid_time'],
      ['/api/analytics/windows?from=yesterday', 'validation_failed'],
      ['/api/analytics/windows?cursor=not-a-cursor', 'invalid_cursor'],
      [`/api/analytics/anomalies?cursor=${Buffer.from('{"w":"x","m":1}').toString('base64url')}`, 'invalid_cursor'],
      ['/api/analytics/regions?cursor=eyJvIjotMX0', 'invalid_cursor'],
      ['/api/analytics/windows?limit=101', 'validation_failed'],
      ['/api/analytics/anomalies?metric=DROP%20TABLE', 'validation_failed'],
      ['/api/analytics/windows?colour=blue', 'validation_failed'],
    ];
    for (const [url, code] of cases) {
      const res = await get(url);
      assert.equal(res.status, 400, url);
      assert.equal(res.json.code, code, url);
    }
  });
});

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ingest, result, startAnalytics, type Analytics } from './helpers.ts';
import { openEventStream } from './sse-client.ts';

// The live stream on a listening service, fed through PostgreSQL's LISTEN/NOTIFY.
describe('the stream of new results', () => {
  let a: Analytics;
  let url: string;
  let admin: { authorization: string };
  before(async () => {
    a = await startAnalytics({ STREAM_HEARTBEAT_MS: '200', STREAM_MAX_CLIENTS: '3' });
    await a.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(a.app.server.address() as AddressInfo).port}/api/analytics/stream`;
    admin = await a.auth('admin');
  });
  after(() => a.close());

  test('an admin gets each new result once, in order, with heartbeats between', async () => {
    await ingest(a, [result('window_summary', '2025-11-23T09:00:00.000Z')]); // before the stream: not sent
    const s = await openEventStream(url, admin);
    try {
      assert.equal(s.status, 200);
      assert.equal(s.headers['content-type'], 'text/event-stream; charset=utf-8');
      assert.equal(s.headers['cache-control'], 'no-cache, no-transform');
      await s.until('the opening comment', () => s.comments.includes('connected'));
      const w = '2025-11-23T10:00:00.000Z';
      await ingest(a, [result('window_summary', w, { orders_paid: 3 }), result('top_products', w, { rank: 1 })]);
      // A result revised before the stream read it is sent once, at its latest revision: wait, then revise.
      await s.until('two results', () => s.results().length >= 2);
      await ingest(a, [result('window_summary', w, { orders_paid: 3 })]); // the same again: no event
      await ingest(a, [result('window_summary', w, { orders_paid: 4 })]); // a revision: an event
      await s.until('three results', () => s.results().length >= 3);
      await s.until('a heartbeat', () => s.comments.includes('heartbeat'));
      const got = s.results();
      assert.deepEqual(
        got.map((r) => [r.result_type, r.window_start, r.orders_paid, r.revision]),
        [
          ['window_summary', w, 3, 1],
          ['top_products', w, undefined, 1],
          ['window_summary', w, 4, 2],
        ],
      );
      const ids = got.map((r) => Number(r.id));
      assert.deepEqual(
        ids,
        [...ids].sort((x, y) => x - y),
        'ids grow',
      );
    } finally {
      await s.close();
    }
  });

  test('Last-Event-ID resumes after what the client saw, then goes on live', async () => {
    const first = await openEventStream(url, admin);
    const w = '2025-11-23T11:00:00.000Z';
    await ingest(a, [result('peak_hours', w, { hour: 11 })]);
    await first.until('one result', () => first.results().length === 1);
    const seen = first.results()[0]!.id;
    await first.close();

    // Missed while disconnected.
    await ingest(a, [result('orders_by_region', w, { region: 'DE' }), result('orders_by_region', w, { region: 'IT' })]);
    const resumed = await openEventStream(url, { ...admin, 'last-event-id': String(seen) });
    try {
      await resumed.until('the two missed', () => resumed.results().length === 2);
      await ingest(a, [result('anomaly', w, { metric: 'revenue' })]);
      await resumed.until('the live one', () => resumed.results().length === 3);
      assert.deepEqual(
        resumed.results().map((r) => r.region ?? r.metric),
        ['DE', 'IT', 'revenue'],
      );
    } finally {
      await resumed.close();
    }
  });

  test('a Last-Event-ID past the newest result (a database since reset) still gets what comes next', async () => {
    const s = await openEventStream(url, { ...admin, 'last-event-id': '999999999' });
    try {
      await s.until('connected', () => s.comments.includes('connected'));
      await ingest(a, [result('anomaly', '2025-11-23T12:00:00.000Z', { metric: 'decline_share' })]);
      await s.until('the new result', () => s.results().length === 1);
      assert.equal(s.results()[0].metric, 'decline_share');
    } finally {
      await s.close();
    }
  });

  test('without a token 401, as a customer 403, past the limit 503; a closed client frees its place', async () => {
    assert.equal((await fetch(url)).status, 401);
    assert.equal((await fetch(url, { headers: await a.auth('customer') })).status, 403);
    const open = await Promise.all([1, 2, 3].map(() => openEventStream(url, admin)));
    await Promise.all(open.map((s) => s.until('connected', () => s.comments.includes('connected'))));
    const refused = await fetch(url, { headers: admin });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '10');
    assert.equal(((await refused.json()) as { code: string }).code, 'too_many_streams');
    await open[0]!.close();
    const gauge = async () => /emporium_analytics_stream_clients\S* (\d+)/.exec(await a.app.metrics.metrics())?.[1];
    for (let i = 0; i < 200 && (await gauge()) !== '2'; i++) await new Promise((r) => setTimeout(r, 20));
    const again = await openEventStream(url, admin);
    assert.equal(again.status, 200);
    await Promise.all([again, ...open.slice(1)].map((s) => s.close()));
  });

  test('closing the service ends open streams instead of waiting on them', async () => {
    const b = await startAnalytics({ STREAM_HEARTBEAT_MS: '60000' });
    await b.app.listen({ port: 0, host: '127.0.0.1' });
    const bUrl = `http://127.0.0.1:${(b.app.server.address() as AddressInfo).port}/api/analytics/stream`;
    const s = await openEventStream(bUrl, await b.auth('admin'));
    await s.until('connected', () => s.comments.includes('connected'));
    await b.close();
    await s.until('the end of the stream', () => s.isEnded());
  });
});

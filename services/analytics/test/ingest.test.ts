import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readTopic } from '@emporium/messaging/testing';
import { brokers, consumeFrom, result, startAnalytics, waitFor, type Analytics } from './helpers.ts';

// The consumer on the real broker and PostgreSQL: results arrive as the Flink job's transactional sink writes them.
const skip = brokers.length ? false : 'no Kafka broker (run with npm test)';

describe('results from analytics-results', { skip }, () => {
  let a: Analytics;
  before(async () => {
    a = await startAnalytics();
  });
  after(() => a.close());

  const rows = async () =>
    (
      await a.pool.query<{
        result_type: string;
        window_start: Date;
        item_key: string;
        payload: Record<string, unknown>;
        revision: number;
        seq: number;
      }>(
        'SELECT result_type, window_start, item_key, payload, revision, seq FROM analytics_results ORDER BY result_type, window_start, item_key',
      )
    ).rows;
  const has =
    (type: string, start: string, item = '') =>
    async () =>
      (await rows()).find(
        (r) => r.result_type === type && r.window_start.toISOString() === start && r.item_key === item,
      );

  test('committed results are stored; an aborted transaction’s never are', async () => {
    const kafka = await consumeFrom(a);
    try {
      const w1 = '2025-11-23T10:00:00.000Z';
      const w2 = '2025-11-23T10:05:00.000Z';
      const committed = [
        result('window_summary', w1, { orders_placed: 3, orders_paid: 2, revenue: 30, average_order_value: 15 }),
        result('top_products', w1, { rank: 1, product_id: 7, quantity: 2 }),
        result('top_products', w1, { rank: 2, product_id: 9, quantity: 1 }),
        result('orders_by_region', w1, { region: 'FR', orders_paid: 2, revenue: 30 }),
        result('peak_hours', w1, { hour: 10, orders_paid: 2, revenue: 30 }),
        result('anomaly', w1, { metric: 'revenue' }),
      ];
      // An attempt the job aborted (it failed before its checkpoint): a wrong summary of w1 and a window of its own.
      await kafka.publish(
        [
          result('window_summary', w1, { orders_placed: 99, orders_paid: 99, revenue: 9999, average_order_value: 101 }),
          result('window_summary', w2, { orders_placed: 1 }),
        ],
        'abort',
      );
      await kafka.publish(committed);
      // A committed sentinel behind the aborted w2 summary, on its partition (same key): once it is in, w2 would be.
      const sentinel = result('top_products', w2, { rank: 1 });
      await kafka.publish([result('window_summary', w2, { orders_placed: 5 }), sentinel]);
      await waitFor('the sentinel', has('top_products', w2, '1'), Boolean);
      await waitFor('every committed result', rows, (r) => r.length === committed.length + 2);

      const stored = await rows();
      const summary1 = stored.find((r) => r.result_type === 'window_summary' && r.window_start.toISOString() === w1)!;
      assert.deepEqual(summary1.payload, { orders_placed: 3, orders_paid: 2, revenue: 30, average_order_value: 15 });
      assert.equal(summary1.revision, 1, 'the aborted summary was never applied, so this is no revision');
      const summary2 = stored.find((r) => r.result_type === 'window_summary' && r.window_start.toISOString() === w2)!;
      assert.equal(summary2.payload['orders_placed'], 5);
      assert.equal(summary2.revision, 1);
      assert.deepEqual(
        stored.filter((r) => r.window_start.toISOString() === w1).map((r) => `${r.result_type}/${r.item_key}`),
        [
          'anomaly/revenue',
          'orders_by_region/FR',
          'peak_hours/10',
          'top_products/1',
          'top_products/2',
          'window_summary/',
        ],
      );
      const revisions = await a.pool.query('SELECT * FROM analytics_result_revisions');
      assert.equal(revisions.rowCount, 0);
    } finally {
      await kafka.stop();
    }
  });

  test('a result redelivered or republished changes nothing; a different one is a revision that keeps the old', async () => {
    const kafka = await consumeFrom(a);
    try {
      const w = '2025-11-23T11:00:00.000Z';
      const summary = result('window_summary', w, {
        orders_placed: 4,
        orders_paid: 4,
        revenue: 40,
        average_order_value: 10,
      });
      const top = result('top_products', w, { rank: 1, product_id: 3, quantity: 4, revenue: 40 });
      await kafka.publish([summary, top, summary]); // a duplicate inside one transaction
      await waitFor('the first copies', has('top_products', w, '1'), Boolean);
      const first = await rows();

      // The job restarted from a checkpoint and published the window again, field order changed.
      const reordered = Object.fromEntries(Object.entries(summary).reverse());
      const marker = result('anomaly', w, { metric: 'marker_one' });
      await kafka.publish([reordered, top, marker]);
      await waitFor('the republished marker', has('anomaly', w, 'marker_one'), Boolean);
      const again = (await rows()).filter((r) => r.item_key !== 'marker_one');
      assert.deepEqual(again, first, 'nothing changed: same payloads, revisions and stream positions');

      // A re-run of the window with a correction: the later result wins, the earlier one is kept as history.
      const corrected = { ...summary, orders_paid: 3, revenue: 30, average_order_value: 10 };
      const marker2 = result('anomaly', w, { metric: 'marker_two' });
      await kafka.publish([corrected, marker2]);
      await waitFor('the revision', has('anomaly', w, 'marker_two'), Boolean);
      const revised = (await has('window_summary', w)())!;
      assert.equal(revised.revision, 2);
      assert.equal(revised.payload['revenue'], 30);
      const old = first.find((r) => r.result_type === 'window_summary' && r.window_start.toISOString() === w)!;
      assert.ok(revised.seq > old.seq, 'a revision takes a new stream position, so live clients see it');
      const history = await a.pool.query<{ revision: number; payload: Record<string, unknown> }>(
        'SELECT revision, payload FROM analytics_result_revisions',
      );
      assert.deepEqual(history.rows, [{ revision: 1, payload: old.payload }]);
      assert.ok(
        a.logs.lines.some((l) => l.includes('replaced it')),
        'a revision is logged',
      );
      const metrics = await a.app.metrics.metrics();
      assert.match(
        metrics,
        /emporium_analytics_results_total\{result_type="window_summary",outcome="unchanged"[^}]*\} 2\n/,
      );
      assert.match(
        metrics,
        /emporium_analytics_results_total\{result_type="window_summary",outcome="revised"[^}]*\} 1\n/,
      );
    } finally {
      await kafka.stop();
    }
  });

  test('a message that breaks the contract goes to the dead-letter topic; the partition moves on', async () => {
    const kafka = await consumeFrom(a);
    try {
      const w = '2025-11-23T12:00:00.000Z';
      const broken = { ...result('window_summary', w), revenue: 'lots' };
      const good = result('window_summary', w);
      await kafka.publish([broken, good]); // same key: same partition, the good one behind the broken one
      await waitFor('the good result', has('window_summary', w), Boolean);
      const [parked] = await readTopic(brokers, `${kafka.topic}.dlq`, 1);
      assert.equal(JSON.parse(parked!.value).revenue, 'lots');
      assert.match(parked!.headers.get('x-dead-letter-reason') ?? '', /revenue/);
    } finally {
      await kafka.stop();
    }
  });
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ensureTopics } from '@emporium/messaging';
import { testBrokers } from '@emporium/messaging/testing';
import { startAnalytics, type AnalyticsHandle } from '../../platform/analytics.ts';
import { created, declined, item, onPartition, paid, refunded, shipped } from './job-events.ts';
import { eventSender, follow, freePort, metric, waitFor, type Result } from './job-results.ts';

const brokers = testBrokers();
const A = '2024-05-01T10:00:00.000Z';
const QUIET = '2024-05-01T10:05:00.000Z';
const B = '2024-05-01T10:10:00.000Z';

const summaryOf = (seen: Result[], start: string) =>
  seen.filter((r) => r.value.result_type === 'window_summary' && r.value.window_start === start);

test(
  'the Flink job on the real broker: exact results once the watermark passes, exactly once across a SIGKILL',
  {
    skip: brokers.length === 0 && 'no Kafka broker (run through npm test)',
    timeout: 600_000,
  },
  async (t) => {
    const run = randomBytes(4).toString('hex');
    const [sourceTopic, resultsTopic] = [`orders-e2e-${run}`, `analytics-results-e2e-${run}`];
    await ensureTopics(
      brokers,
      [
        { name: sourceTopic, partitions: 3 },
        { name: resultsTopic, partitions: 3 },
      ],
      1,
    );
    const dir = await mkdtemp(path.join(tmpdir(), 'emporium-analytics-e2e-'));
    const ports = { metricsPort: await freePort(), restPort: await freePort(), blobPort: await freePort() };
    const start = () =>
      startAnalytics({
        brokers,
        storageUrl: pathToFileURL(path.join(dir, 'storage')).href,
        ...ports,
        checkpointIntervalMs: 4_000,
        sourceTopic,
        resultsTopic,
        groupId: `analytics-e2e-${run}`,
        heapMb: 512,
        quickStart: true,
        logFile: path.join(dir, 'job.log'),
      });
    const sender = eventSender(brokers, sourceTopic);
    const committed = await follow(brokers, resultsTopic);
    const uncommitted = await follow(brokers, resultsTopic, false);
    let job: AnalyticsHandle | undefined;
    after(async () => {
      await job?.stop();
      await Promise.all([committed.close(), uncommitted.close(), sender.close()]);
      await rm(dir, { recursive: true, force: true });
    });
    job = await start();

    // Window A (a past one): four orders, one declined, one refunded in full, and a duplicate delivery.
    const paid101 = paid(101, '2024-05-01T10:00:30.000Z', 'GB', [item(1, 2, 12.5)]);
    await sender.send(
      onPartition([
        created(101, '2024-05-01T10:00:10.000Z', 'GB', [item(1, 2, 12.5)]),
        paid101,
        created(102, '2024-05-01T10:01:00.000Z', 'DE', [item(2, 1, 40)]),
        paid(102, '2024-05-01T10:01:20.000Z', 'DE', [item(2, 1, 40)]),
        created(103, '2024-05-01T10:02:00.000Z', 'GB', [item(3, 1, 9.99)]),
        declined(103, '2024-05-01T10:02:10.000Z', 'GB', [item(3, 1, 9.99)]),
        created(104, '2024-05-01T10:03:00.000Z', 'FR', [item(4, 1, 10)]),
        paid(104, '2024-05-01T10:03:10.000Z', 'FR', [item(4, 1, 10)]),
        refunded(104, '2024-05-01T10:04:00.000Z', 'FR', [item(4, 1, 10)], 10),
        paid101,
      ]),
    );
    await sender.send(onPartition([900, 901, 902].map((o) => shipped(o, '2024-05-01T10:06:00.000Z'))));
    const [summaryA] = await waitFor('window A on analytics-results (read_committed)', () =>
      summaryOf(committed.seen, A).length > 0 ? summaryOf(committed.seen, A) : undefined,
    );
    assert.deepEqual(summaryA!.value, {
      result_type: 'window_summary',
      window_start: A,
      window_end: QUIET,
      orders_placed: 4,
      orders_paid: 3,
      revenue: 65,
      average_order_value: 21.67,
    });
    assert.equal(summaryA!.key, `window_summary:${A}`);
    await waitFor(
      'window A’s regions',
      () => committed.seen.filter((r) => r.value.result_type === 'orders_by_region').length === 3,
    );
    const regions = committed.seen
      .filter((r) => r.value.result_type === 'orders_by_region' && r.value.window_start === A)
      .map((r) => `${String(r.value['region'])}:${String(r.value['orders_paid'])}:${String(r.value['revenue'])}`)
      .sort();
    assert.deepEqual(regions, ['DE:1:40', 'FR:1:0', 'GB:1:25']);

    // Window B: its results are written in a transaction; the job dies before (or just after) it commits.
    await sender.send(
      onPartition([
        created(201, '2024-05-01T10:10:05.000Z', 'GB', [item(5, 3, 10)]),
        paid(201, '2024-05-01T10:10:15.000Z', 'GB', [item(5, 3, 10)]),
        created(202, '2024-05-01T10:11:00.000Z', 'DE', [item(6, 1, 20)]),
        paid(202, '2024-05-01T10:11:30.000Z', 'DE', [item(6, 1, 20)]),
      ]),
    );
    await sender.send(onPartition([903, 904, 905].map((o) => shipped(o, '2024-05-01T10:16:00.000Z'))));
    await waitFor('window B written (read_uncommitted)', () => summaryOf(uncommitted.seen, B).length > 0);
    const wasCommittedAtKill = summaryOf(committed.seen, B).length > 0;
    await job.kill();
    job = await start();

    await waitFor('window B on analytics-results after the restart', () => summaryOf(committed.seen, B).length > 0);
    // Two more checkpoints: whatever the restarted job replayed has been committed (or aborted) by then.
    const checkpoints = (await metric(job.metricsUrl, 'emporium_analytics_checkpoints_completed_total')) ?? 0;
    const handle = job;
    let latest = checkpoints;
    await waitFor('two more checkpoints', () => {
      void metric(handle.metricsUrl, 'emporium_analytics_checkpoints_completed_total').then(
        (n) => (latest = n ?? latest),
      );
      return latest >= checkpoints + 2;
    });

    const count = (type: string, start: string) =>
      committed.seen.filter((r) => r.value.result_type === type && r.value.window_start === start).length;
    assert.equal(count('window_summary', A), 1);
    assert.equal(count('window_summary', QUIET), 1, 'the window of the watermark events alone');
    assert.equal(count('window_summary', B), 1, `window B once (committed before the kill: ${wasCommittedAtKill})`);
    assert.equal(count('top_products', A), 3);
    assert.equal(count('top_products', B), 2);
    assert.equal(count('orders_by_region', B), 2);
    assert.equal(committed.seen.length, 13, JSON.stringify(committed.seen.map((r) => r.key)));
    const [summaryB] = summaryOf(committed.seen, B);
    assert.equal(summaryB!.value['revenue'], 50);
    assert.equal(summaryB!.value['orders_paid'], 2);
    t.diagnostic(`window B was ${wasCommittedAtKill ? 'already' : 'not yet'} committed when the job was killed`);
    if (!wasCommittedAtKill) {
      // The killed run's transaction was aborted: a read_uncommitted reader saw window B twice, read_committed once.
      await waitFor('the replayed window B (read_uncommitted)', () => summaryOf(uncommitted.seen, B).length === 2);
    }
    // A fenced commit after the restart is the restored checkpoint's own transaction, committed before the kill
    // (Kafka 4 bumped its epoch when it ended): expected, as analytics/README.md says, and nothing else is fenced.
    const log = await readFile(path.join(dir, 'job.log'), 'utf8');
    const restored = log.match(/restoring from \S*\/chk-(\d+)/)?.[1];
    assert.ok(restored, 'the second start restored a checkpoint');
    const fenced = [...log.matchAll(/transactionalId='([^']+)'.*because its producer is already fenced/g)];
    for (const [, id] of fenced) assert.equal(id, `analytics-e2e-${run}-0-${restored}`);
    t.diagnostic(`restored chk-${restored}; fenced re-commits logged: ${fenced.length}`);
    // Its health, as Prometheus reads it (counts since the restart: the replay from the checkpoint on).
    assert.ok(((await metric(job.metricsUrl, 'emporium_analytics_events_in_total')) ?? 0) > 0);
    assert.ok(((await metric(job.metricsUrl, 'emporium_analytics_results_out_total')) ?? 0) > 0);
    assert.equal(await metric(job.metricsUrl, 'emporium_analytics_late_events_dropped_total'), 0);
    assert.ok(((await metric(job.metricsUrl, 'emporium_analytics_watermark_lag_seconds')) ?? 0) > 0);
    assert.ok(((await metric(job.metricsUrl, 'emporium_analytics_last_checkpoint_age_seconds')) ?? -1) >= 0);
    assert.equal((await fetch(`${job.metricsUrl}/health`)).status, 200);
    const stopping = job;
    job = undefined;
    await stopping.stop();
    assert.equal(await stopping.exited, 0, 'SIGTERM cancels the job and exits cleanly');
  },
);

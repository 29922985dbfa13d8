import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Producer, ProduceAcks, stringSerializers } from '@platformatic/kafka';
import { createPool, createTokenVerifier } from '@emporium/kit';
import { captureLogs, createTestDatabase, jwksOf, newSigningKey, signTestToken } from '@emporium/kit/testing';
import { createEventProducer, ensureTopics } from '@emporium/messaging';
import { startAnalytics } from '../platform/analytics.ts';
import { startPostgres } from '../platform/postgres.ts';
import { buildApp } from '../services/analytics/src/app.ts';
import { readConfig } from '../services/analytics/src/config.ts';
import { createResultConsumer } from '../services/analytics/src/results/result-consumer.ts';
import { created, item, paid } from '../e2e/analytics/job-events.ts';
import { freePort } from '../e2e/analytics/job-results.ts';

// Window end → result visible in the analytics API, live: events stamped "now" at a steady rate, the job with short
// windows (a 5-minute window would take an hour for a dozen samples), the API polled for each new window.
const WINDOW_S = Number(process.env['BENCH_WINDOW_S'] ?? 3);
const LATENESS_S = Number(process.env['BENCH_LATENESS_S'] ?? 1);
const CHECKPOINT_MS = Number(process.env['BENCH_CHECKPOINT_MS'] ?? 2_000);
const LIVE_S = Number(process.env['BENCH_LIVE_S'] ?? 90);
const ORDERS_PER_S = 100;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

export async function measureVisibility(brokers: string[], dir: string, say: (line: string) => void): Promise<void> {
  const pg = await startPostgres({ dataDir: path.join(dir, 'postgres'), port: 27532, portAttempts: 50, fast: true });
  const topic = `orders-live-${randomBytes(3).toString('hex')}`;
  const results = `${topic}-results`;
  const topics = [topic, results, `${results}.dlq`].map((name) => ({ name, partitions: 3 }));
  await ensureTopics(brokers, topics, 1);
  process.env['EMPORIUM_TEST_PG_URL'] = pg.url('postgres');
  const db = await createTestDatabase(path.join(import.meta.dirname, '../services/analytics/migrations'));
  const pool = createPool(db.url, 5);
  const key = newSigningKey();
  const app = await buildApp(readConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'warn' }), {
    pool,
    verify: createTokenVerifier({ jwks: await jwksOf(key.privateKey) }),
    logStream: captureLogs().stream,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const api = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const admin = {
    authorization: `Bearer ${await signTestToken(key.privateKey, { sub: '1', role: 'admin', username: 'bench' })}`,
  };
  const deadLetters = createEventProducer({ brokers, clientId: 'bench' });
  const consumer = createResultConsumer({
    brokers,
    groupId: `bench-${topic}`,
    pool,
    service: app.results,
    deadLetters,
    registry: app.metrics,
    log: app.log,
    topic: results,
  });
  await consumer.start();
  const job = await startAnalytics({
    brokers,
    storageUrl: pathToFileURL(path.join(dir, 'live-storage')).href,
    metricsPort: await freePort(),
    restPort: await freePort(),
    blobPort: await freePort(),
    checkpointIntervalMs: CHECKPOINT_MS,
    windows: { sizeSeconds: WINDOW_S, latenessSeconds: LATENESS_S },
    sourceTopic: topic,
    resultsTopic: results,
    groupId: topic,
    logFile: path.join(dir, 'live-job.log'),
  });
  const producer = new Producer({
    clientId: 'bench-live',
    bootstrapBrokers: brokers,
    serializers: stringSerializers,
    acks: ProduceAcks.LEADER,
  });
  try {
    say(
      `live: ${ORDERS_PER_S} orders/s for ${LIVE_S} s, ${WINDOW_S} s windows, ${LATENESS_S} s lateness, ` +
        `checkpoints every ${CHECKPOINT_MS} ms`,
    );
    const startedAt = Date.now();
    const firstWindow = new Date(startedAt - (startedAt % (WINDOW_S * 1000)) + WINDOW_S * 1000).toISOString();
    const seen = new Map<string, number>(); // window start → ms from its end to first seen in the API
    let order = 0;
    let sending = true;
    const sender = (async () => {
      for (let tick = Date.now(); sending; tick += 100) {
        const at = new Date().toISOString();
        const batch = [];
        for (let i = 0; i < ORDERS_PER_S / 10; i++, order++) {
          const items = [item((order % 50) + 1, 1, 9.99)];
          batch.push(created(order, at, 'GB', items), paid(order, at, 'GB', items));
        }
        await producer.send({
          messages: batch.map((e) => ({ topic, key: String(e.order_id), value: JSON.stringify(e) })),
        });
        await new Promise((r) => setTimeout(r, Math.max(0, tick + 100 - Date.now())));
      }
    })();
    const stopAt = startedAt + LIVE_S * 1000;
    while (Date.now() < stopAt + (WINDOW_S + LATENESS_S) * 1000 + 30_000) {
      if (Date.now() >= stopAt) sending = false;
      const res = await fetch(`${api}/api/analytics/windows?from=${firstWindow}&limit=100`, { headers: admin });
      const body = (await res.json()) as { items: { window_start: string; window_end: string }[] };
      for (const w of body.items) {
        if (!seen.has(w.window_start)) seen.set(w.window_start, Date.now() - Date.parse(w.window_end));
      }
      // Every window that ended a lateness before the last events is closed by them: stop once all are seen.
      const closed = Math.floor((stopAt - LATENESS_S * 1000 - Date.parse(firstWindow)) / (WINDOW_S * 1000));
      if (!sending && seen.size >= closed) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await sender;
    const ms = [...seen.values()].sort((a, b) => a - b);
    if (ms.length === 0) throw new Error('no window became visible in the API');
    say(
      `window end → visible in the API over ${ms.length} windows: p50 ${percentile(ms, 0.5)} ms, ` +
        `p99 ${percentile(ms, 0.99)} ms, max ${ms.at(-1)} ms (floor: ${LATENESS_S * 1000} ms lateness + the next checkpoint)`,
    );
  } finally {
    await producer.close();
    await job.stop();
    await consumer.stop();
    await deadLetters.close();
    await app.close();
    await pool.end();
    await pg.stop();
  }
}

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  parseAnalyticsResult,
  resultContracts,
  resultMessageKey,
  type AnalyticsResult,
  type ResultType,
} from '@emporium/events';
import { createPool, createTokenVerifier, withTransaction, type Pool } from '@emporium/kit';
import { captureLogs, createTestDatabase, jwksOf, newSigningKey, signTestToken } from '@emporium/kit/testing';
import { createEventProducer, ensureTopics } from '@emporium/messaging';
import { produceInTransaction, testBrokers } from '@emporium/messaging/testing';
import { buildApp, type AnalyticsApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { createResultConsumer } from '../src/results/result-consumer.ts';

export const brokers = testBrokers();

/** The analytics service on a fresh, migrated database of the real test PostgreSQL. */
export async function startAnalytics(env: Record<string, string> = {}) {
  const db = await createTestDatabase(path.join(import.meta.dirname, '..', 'migrations'));
  const config = readConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'warn', ...env });
  const pool = createPool(db.url, 10);
  const key = newSigningKey();
  const logs = captureLogs();
  const verify = createTokenVerifier({ jwks: await jwksOf(key.privateKey) });
  const app = await buildApp(config, { pool, verify, logStream: logs.stream });
  await app.ready();
  const auth = async (role: 'admin' | 'customer', id = role === 'admin' ? 1 : 2) => ({
    authorization: `Bearer ${await signTestToken(key.privateKey, { sub: String(id), role, username: `u${id}` })}`,
  });
  return {
    app,
    pool,
    db,
    key,
    logs,
    auth,
    async close() {
      await app.close();
      await pool.end();
      await db.drop();
    },
  };
}
export type Analytics = Awaited<ReturnType<typeof startAnalytics>>;

/** A topic of its own per test (and its dead-letter topic), with the consumer of the service on it. */
export async function consumeFrom(a: { app: AnalyticsApp; pool: Pool }) {
  const topic = `analytics-results-${randomBytes(4).toString('hex')}`;
  await ensureTopics(
    brokers,
    [
      { name: topic, partitions: 3 },
      { name: `${topic}.dlq`, partitions: 1 },
    ],
    1,
  );
  const deadLetters = createEventProducer({ brokers, clientId: 'analytics-test' });
  const consumer = createResultConsumer({
    brokers,
    groupId: `analytics-${randomBytes(4).toString('hex')}`,
    pool: a.pool,
    service: a.app.results,
    deadLetters,
    registry: a.app.metrics,
    log: a.app.log,
    topic,
  });
  await consumer.start();
  return {
    topic,
    /** Publishes results as the Flink job's transactional sink does, keyed by type and window start. */
    publish: (results: Array<AnalyticsResult | Record<string, unknown>>, outcome: 'commit' | 'abort' = 'commit') =>
      produceInTransaction(
        brokers,
        results.map((r) => ({
          topic,
          key: resultMessageKey(r as AnalyticsResult),
          value: JSON.stringify(r),
        })),
        outcome,
      ),
    async stop() {
      await consumer.stop();
      await deadLetters.close();
    },
  };
}

const FIVE_MINUTES = 5 * 60_000;

/** A result of the given type for the 5-minute window starting at `start`, from the contract's example. */
export function result<T extends ResultType>(
  type: T,
  start: string,
  fields: Record<string, unknown> = {},
): AnalyticsResult {
  const example = resultContracts[`${type}@1`]!.example;
  const end = new Date(Date.parse(start) + FIVE_MINUTES).toISOString();
  return { ...example, window_start: start, window_end: end, ...fields } as AnalyticsResult;
}

/** Polls until `check` holds (no fixed sleeps); fails with `what` after the time is up. */
export async function waitFor<T>(what: string, probe: () => Promise<T>, check: (v: T) => boolean, ms = 20_000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (check(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Stores results as the consumer does (its transaction, its rules), without a broker. */
export async function ingest(a: Analytics, results: AnalyticsResult[]): Promise<void> {
  for (const r of results) await withTransaction(a.pool, (tx) => a.app.results.ingest(parseAnalyticsResult(r), tx));
}

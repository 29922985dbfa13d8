import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { orderCreatedV1Example, type OrderEvent } from '@emporium/events';
import { createLogger, createPool } from '@emporium/kit';
import { captureLogs, createTestDatabase } from '@emporium/kit/testing';
import pg from 'pg';
import client from 'prom-client';
import { createOutboxRelay } from './outbox-relay.ts';
import { enqueueEvent, OUTBOX_DDL } from './outbox.ts';
import { createEventProducer, ensureTopics, type EventProducer } from './producer.ts';
import { testBrokers } from './testing.ts';

// Leadership of the outbox relay on the real PostgreSQL and broker that `npm test` starts.
const brokers = testBrokers();
const skip = brokers.length ? false : 'no Kafka broker (run with npm test)';
const LOCK_KEY = 4242;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

/** A producer that remembers which event ids it published. */
function recording(producer: EventProducer): EventProducer & { ids: string[] } {
  const ids: string[] = [];
  const publish: EventProducer['publish'] = async (messages) => {
    await producer.publish(messages);
    ids.push(...messages.map((x) => x.event.event_id));
  };
  return { ...producer, ids, publish };
}

const title =
  'a relay that loses its lock connection stops publishing; another takes over; ' + 'it resumes only with the lock';
test(title, { skip, timeout: 90_000 }, async () => {
  const db = await createTestDatabase();
  const pool = createPool(db.url, 4);
  await pool.query(OUTBOX_DDL);
  const topic = `fence-${randomBytes(4).toString('hex')}`;
  await ensureTopics(brokers, [{ name: topic, partitions: 1 }], 1);
  const producer = createEventProducer({ brokers, clientId: 'fence-test' });
  // Relay A connects as a role of its own, so the test can keep it from reconnecting for a while.
  const role = `relay_${randomBytes(4).toString('hex')}`;
  await pool.query(`CREATE ROLE ${role} LOGIN PASSWORD 'relay-a-pw'`);
  await pool.query(`GRANT ALL ON outbox, outbox_id_seq TO ${role}`);
  const aUrl = new URL(db.url);
  aUrl.username = role;
  aUrl.password = 'relay-a-pw';
  const log = createLogger('fence-test', 'error', captureLogs().stream);
  const a = recording(producer);
  const b = recording(producer);
  const relay = (databaseUrl: string, producer: EventProducer) =>
    createOutboxRelay({ databaseUrl, producer, registry: new client.Registry(), log, lockKey: LOCK_KEY, pollMs: 100 });
  const relayA = relay(aUrl.toString(), a);
  const relayB = relay(db.url, b);
  const other = new pg.Client({ connectionString: db.url });
  await other.connect();
  const enqueue = async () => {
    const event = { ...orderCreatedV1Example, event_id: randomUUID(), order_id: 31 } as OrderEvent;
    await enqueueEvent(pool, { topic, key: '31', event });
    return event.event_id;
  };
  const lockHolder = async () =>
    (
      await pool.query<{ pid: number }>(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted",
        [LOCK_KEY],
      )
    ).rows[0]?.pid;
  try {
    await relayA.start();
    const e1 = await enqueue();
    await until('A publishes e1', () => a.ids.includes(e1));

    // A's lock connection is killed; at once another session takes the lock, and A cannot reconnect.
    await pool.query(`ALTER ROLE ${role} NOLOGIN`);
    const aPid = await lockHolder();
    assert.ok(aPid);
    await other.query(`SELECT pg_terminate_backend(${aPid}); SELECT pg_advisory_lock(${LOCK_KEY});`);
    const e2 = await enqueue();

    // B starts and takes over once the lock is free; A still cannot reconnect. Had A published e2 at any
    // point before B did, it would show in A's list below (once B marks it, nobody publishes it again).
    await relayB.start();
    await other.query('SELECT pg_advisory_unlock_all()');
    await until('B publishes e2', () => b.ids.includes(e2));
    assert.deepEqual(a.ids, [e1], 'A published nothing without its lock');
    const e3 = await enqueue();
    await until('B publishes e3', () => b.ids.includes(e3));

    // A may connect again, but B holds the lock: A stays quiet.
    await pool.query(`ALTER ROLE ${role} LOGIN`);
    await sleep(1_500);
    const e4 = await enqueue();
    await until('B publishes e4', () => b.ids.includes(e4));
    assert.deepEqual(a.ids, [e1], 'A publishes nothing while B leads');

    // B stops (its lock goes with its session): A re-acquires and only then publishes again.
    await relayB.stop();
    const e5 = await enqueue();
    await until('A publishes e5', () => a.ids.includes(e5));
    assert.deepEqual(a.ids, [e1, e5]);
    assert.deepEqual(b.ids, [e2, e3, e4]);
    // Sent is not yet marked: the mark commits just after Kafka acknowledges.
    const waiting = 'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL';
    const unmarked = async () => (await pool.query<{ n: number }>(waiting)).rows[0]!.n;
    await until('every row is marked published', async () => (await unmarked()) === 0);
  } finally {
    await relayA.stop();
    await relayB.stop();
    await other.end();
    await producer.close();
    await pool.end();
    await db.drop();
    const admin = new pg.Client({ connectionString: process.env['EMPORIUM_TEST_PG_URL'] });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  }
});

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { orderCreatedV1Example, type OrderEvent } from '@emporium/events';
import { createPool, type Pool } from '@emporium/kit';
import { createTestDatabase } from '@emporium/kit/testing';
import { createEventProducer, ensureTopics, PROCESSED_EVENTS_DDL } from '@emporium/messaging';
import { readTopic, testBrokers } from '@emporium/messaging/testing';

// Fault 11 of docs/reliability.md: poison messages among 600 events, and the consumer's process killed with SIGKILL
// mid-batch, then started again. Its work and its de-duplication mark commit together, so nothing is lost or
// done twice.
const skip = testBrokers().length ? false : 'no Kafka broker (run with npm test)';
const COUNT = 600;
let db: { url: string; drop(): Promise<void> };
let pool: Pool;
before(async () => {
  if (skip) return;
  db = await createTestDatabase();
  pool = createPool(db.url, 2);
  await pool.query(PROCESSED_EVENTS_DDL);
  await pool.query('CREATE TABLE handled (event_id UUID NOT NULL, order_id INTEGER NOT NULL)');
});
after(async () => {
  if (skip) return;
  await pool.end();
  await db.drop();
});

test(
  `a consumer killed with SIGKILL mid-batch and restarted handles each of ${COUNT} events once; poison is dead-lettered`,
  { skip, timeout: 120_000 },
  async () => {
    const brokers = testBrokers();
    const topic = `faults-consumer-${randomBytes(4).toString('hex')}`;
    await ensureTopics(
      brokers,
      [
        { name: topic, partitions: 3 },
        { name: `${topic}.dlq`, partitions: 1 },
      ],
      1,
    );
    const producer = createEventProducer({ brokers, clientId: 'fault-consumer-test' });
    const events = Array.from(
      { length: COUNT },
      (_, i) => ({ ...orderCreatedV1Example, event_id: randomUUID(), order_id: 1 + (i % 50) }) as OrderEvent,
    );
    await producer.publish(events.slice(0, 300).map((e) => ({ topic, key: String(e.order_id), event: e })));
    await producer.publishRaw(topic, '7', '{not json', {});
    const poison = { ...orderCreatedV1Example, event_id: randomUUID(), order_id: 999_999 } as OrderEvent;
    await producer.publish([{ topic, key: '999999', event: poison }]);
    await producer.publish(events.slice(300).map((e) => ({ topic, key: String(e.order_id), event: e })));
    await producer.close();

    const env = {
      PATH: process.env['PATH'] ?? '',
      BROKERS: brokers.join(','),
      TOPIC: topic,
      GROUP: `${topic}-group`,
      DATABASE_URL: db.url,
    };
    const start = async (): Promise<ChildProcess> => {
      const child = spawn(process.execPath, [path.join(import.meta.dirname, 'consumer-child.ts')], {
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout!.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`the consumer exited with ${code}`)));
      });
      return child;
    };
    const handled = async () =>
      (await pool.query('SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM handled')).rows[0] as {
        n: number;
        d: number;
      };
    const waitFor = async (done: () => Promise<boolean>, ms: number, what: string) => {
      const deadline = Date.now() + ms;
      while (!(await done())) {
        assert.ok(Date.now() < deadline, what);
        await sleep(20);
      }
    };

    const first = await start();
    await waitFor(async () => (await handled()).n >= 150, 60_000, 'the first consumer handled too little');
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const atKill = (await handled()).n;
    assert.ok(atKill < COUNT, `killed mid-stream (${atKill} handled)`);

    const second = await start();
    try {
      await waitFor(async () => (await handled()).n >= COUNT, 60_000, 'the restarted consumer did not catch up');
      await sleep(1_000); // anything handled twice would show up now
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }
    const { n, d } = await handled();
    assert.deepEqual({ n, d }, { n: COUNT, d: COUNT }, 'every event handled, none twice');
    const ids = new Set((await pool.query('SELECT event_id FROM handled')).rows.map((r) => r.event_id as string));
    assert.ok(
      events.every((e) => ids.has(e.event_id)),
      'none lost',
    );
    const dead = await readTopic(brokers, `${topic}.dlq`, 2, 20_000);
    assert.deepEqual(
      new Set(dead.map((m) => (m.value === '{not json' ? 'unparseable' : JSON.parse(m.value).event_id))),
      new Set(['unparseable', poison.event_id]),
      'both poison messages dead-lettered',
    );
  },
);

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { createLogger } from '@emporium/kit';
import { captureLogs } from '@emporium/kit/testing';
import client from 'prom-client';
import { createEventConsumer, type MessageContract } from './consumer.ts';
import { createMemoryDedupeStore } from './dedupe.ts';
import { createEventProducer, ensureTopics } from './producer.ts';
import { produceInTransaction, testBrokers } from './testing.ts';

// Kafka transactions on the real broker `npm test` starts: what a read_committed consumer is handed.
const brokers = testBrokers();
const skip = brokers.length ? false : 'no Kafka broker (run with npm test)';
const log = createLogger('isolation-test', 'error', captureLogs().stream);
const unique = (name: string) => `${name}-${randomBytes(4).toString('hex')}`;

interface Note {
  id: string;
}
const notes: MessageContract<Note> = {
  parse: (value) => {
    if (typeof (value as Note)?.id !== 'string') throw new Error('not a note');
    return value as Note;
  },
  idOf: (n) => n.id,
};
const note = (topic: string, id: string) => ({ topic, key: 'k', value: JSON.stringify({ id }) });

describe('consumer isolation on a real broker', { skip }, () => {
  const deadLetters = skip ? undefined! : createEventProducer({ brokers, clientId: 'isolation-dlq' });
  after(() => deadLetters?.close());

  async function readUntil(topic: string, isolation: 'read_committed' | 'read_uncommitted', last: string) {
    const seen: string[] = [];
    const consumer = createEventConsumer<Note>({
      brokers,
      groupId: unique('group'),
      clientId: 'c',
      topics: [topic],
      contract: notes,
      isolation,
      handle: async (n) => void seen.push(n.id),
      dedupe: createMemoryDedupeStore(),
      deadLetters,
      registry: new client.Registry(),
      log,
    });
    await consumer.start();
    for (let i = 0; i < 300 && !seen.includes(last); i++) await new Promise((r) => setTimeout(r, 100));
    await consumer.stop();
    return seen;
  }

  test('read_committed hands over committed transactions only; an aborted one never', async () => {
    const topic = unique('results');
    await ensureTopics(
      brokers,
      [
        { name: topic, partitions: 1 },
        { name: `${topic}.dlq`, partitions: 1 },
      ],
      1,
    );
    await produceInTransaction(brokers, [note(topic, 'committed-1'), note(topic, 'committed-2')], 'commit');
    await produceInTransaction(brokers, [note(topic, 'aborted-1'), note(topic, 'aborted-2')], 'abort');
    // One partition: once the sentinel behind the aborted messages arrives, they would have too.
    await produceInTransaction(brokers, [note(topic, 'sentinel')], 'commit');

    assert.deepEqual(await readUntil(topic, 'read_committed', 'sentinel'), ['committed-1', 'committed-2', 'sentinel']);
    // The same topic read uncommitted shows the aborted messages are really there: the test can fail.
    assert.deepEqual(await readUntil(topic, 'read_uncommitted', 'sentinel'), [
      'committed-1',
      'committed-2',
      'aborted-1',
      'aborted-2',
      'sentinel',
    ]);
  });

  test('a message that breaks the given contract is dead-lettered, the rest handled', async () => {
    const topic = unique('results');
    await ensureTopics(
      brokers,
      [
        { name: topic, partitions: 1 },
        { name: `${topic}.dlq`, partitions: 1 },
      ],
      1,
    );
    const bad = { topic, key: 'k', value: JSON.stringify({ nope: true }) };
    await produceInTransaction(brokers, [note(topic, 'a'), bad, note(topic, 'b')], 'commit');
    assert.deepEqual(await readUntil(topic, 'read_committed', 'b'), ['a', 'b']);
  });
});

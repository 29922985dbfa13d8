import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IS_CONTROL } from '@platformatic/kafka';
import { dropAbortedBatches } from './read-committed.ts';

const batch = (producerId: number, firstOffset: number, control = false) => ({
  attributes: control ? IS_CONTROL : 0,
  producerId: BigInt(producerId),
  firstOffset: BigInt(firstOffset),
});
const answer = (records: ReturnType<typeof batch>[], aborted: Array<[number, number]>) => ({
  responses: [
    {
      partitions: [
        {
          abortedTransactions: aborted.map(([p, o]) => ({ producerId: BigInt(p), firstOffset: BigInt(o) })),
          records,
        },
      ],
    },
  ],
});
const offsets = (a: ReturnType<typeof answer>) =>
  a.responses[0]!.partitions[0]!.records!.map((b) => `${b.producerId}@${b.firstOffset}${b.attributes ? 'c' : ''}`);

test('an aborted transaction whose marker is not in this answer is dropped, its marker-less batches too', () => {
  // Producer 1 committed at 0-1; producer 2's transaction from offset 2 was aborted, marker beyond this answer.
  const a = answer([batch(1, 0), batch(1, 1, true), batch(2, 2), batch(2, 3)], [[2, 2]]);
  dropAbortedBatches(a);
  assert.deepEqual(offsets(a), ['1@0', '1@1c']);
});

test('batches of the producer after its abort marker (a later transaction) are kept', () => {
  const a = answer([batch(2, 0), batch(2, 1, true), batch(2, 2), batch(2, 3, true)], [[2, 0]]);
  dropAbortedBatches(a);
  assert.deepEqual(offsets(a), ['2@1c', '2@2', '2@3c']);
});

test('nothing aborted: the answer is left as it is', () => {
  const a = answer([batch(1, 0), batch(1, 1, true)], []);
  dropAbortedBatches(a);
  assert.deepEqual(offsets(a), ['1@0', '1@1c']);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchWrites } from './delivery-dispatcher.ts';

test('marks written while a write runs wait and go together; each caller learns its own outcome', async () => {
  const writes: number[][] = [];
  let release: (() => void) | undefined;
  const write = batchWrites<number>(async (items) => {
    writes.push(items);
    if (items.includes(666)) throw new Error('database gone');
    await new Promise<void>((r) => (release = r));
  });
  const first = write(1);
  const rest = [write(2), write(3), write(4)];
  assert.deepEqual(writes, [[1]], 'a lone mark is written at once');
  release!();
  await first;
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(writes, [[1], [2, 3, 4]], 'the three that waited are one write');
  release!();
  await Promise.all(rest);

  await assert.rejects(write(666), /database gone/);
  const after = write(5);
  await new Promise((r) => setImmediate(r));
  release!();
  await after;
  assert.deepEqual(writes.at(-1), [5], 'a failed write does not stop the next');
});

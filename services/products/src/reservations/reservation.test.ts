import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowed, normaliseLines, sameLines } from './reservation.ts';

test('lines are merged per product and sorted, so a retry with reordered lines is the same request', () => {
  const a = normaliseLines([
    { product_id: 9, quantity: 1 },
    { product_id: 2, quantity: 3 },
    { product_id: 9, quantity: 2 },
  ]);
  assert.deepEqual(a, [
    { product_id: 2, quantity: 3 },
    { product_id: 9, quantity: 3 },
  ]);
  assert.ok(
    sameLines(
      a,
      normaliseLines([
        { product_id: 9, quantity: 3 },
        { product_id: 2, quantity: 3 },
      ]),
    ),
  );
  assert.ok(
    !sameLines(
      a,
      normaliseLines([
        { product_id: 9, quantity: 3 },
        { product_id: 2, quantity: 4 },
      ]),
    ),
  );
});

test('only a reserved (or already committed) reservation can be committed; a released one cannot be released again', () => {
  assert.deepEqual(
    ['reserving', 'reserved', 'committed', 'released', 'failed'].map((s) => allowed.commit(s as never)),
    [false, true, true, false, false],
  );
  assert.equal(allowed.release('released'), false);
  assert.equal(allowed.release('committed'), true);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topProductV1Example, windowSummaryV1Example } from '@emporium/events';
import { compareResult, toStored, toView, type ResultRow } from './result.ts';

const rowOf = (stored: ReturnType<typeof toStored>): ResultRow => ({
  id: 1,
  result_type: stored.resultType,
  window_start: new Date(stored.windowStart),
  window_end: new Date(stored.windowEnd),
  item_key: stored.itemKey,
  // As PostgreSQL gives JSONB back: keys in its own order.
  payload: Object.fromEntries(Object.entries(stored.payload).reverse()),
  revision: 1,
  seq: 1,
  received_at: new Date('2025-11-23T10:35:01.000Z'),
});

test('only the type’s own fields are kept, money in whole cents, times in UTC', () => {
  const stored = toStored({
    ...windowSummaryV1Example,
    window_start: '2025-11-23T11:30:00+01:00',
    revenue: 1049.899999,
    extra: 'ignored',
  } as typeof windowSummaryV1Example);
  assert.deepEqual(stored, {
    resultType: 'window_summary',
    windowStart: '2025-11-23T10:30:00.000Z',
    windowEnd: '2025-11-23T10:35:00.000Z',
    itemKey: '',
    payload: { orders_placed: 12, orders_paid: 10, revenue: 1049.9, average_order_value: 104.99 },
  });
});

test('the same result again is the same, whatever its field order; a different one is a revision', () => {
  const stored = toStored(topProductV1Example);
  assert.equal(compareResult(undefined, stored), 'new');
  assert.equal(compareResult(rowOf(stored), toStored({ ...topProductV1Example })), 'same');
  assert.equal(compareResult(rowOf(stored), toStored({ ...topProductV1Example, quantity: 8 })), 'revised');
  assert.equal(
    compareResult(rowOf(stored), toStored({ ...topProductV1Example, window_end: '2025-11-23T10:40:00.000Z' })),
    'revised',
  );
});

test('a stored result reads back in the message’s own shape', () => {
  const view = toView(rowOf(toStored(topProductV1Example)));
  const { revision, received_at, ...message } = view;
  assert.deepEqual(message, topProductV1Example);
  assert.equal(revision, 1);
  assert.equal(received_at, '2025-11-23T10:35:01.000Z');
});

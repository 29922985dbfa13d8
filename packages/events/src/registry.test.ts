import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contracts, InvalidEventError, notificationContracts, parseAnyEvent, parseEvent } from './registry.ts';

test('every contract has an example that passes its own schema', () => {
  assert.equal(Object.keys(contracts).length, 6);
  for (const [key, c] of Object.entries(contracts)) {
    assert.equal(`${c.example.event_type}@${c.example.event_version}`, key);
    assert.deepEqual(parseEvent(structuredClone(c.example)), c.example);
  }
});

test('every event carries the fields SPEC requires', () => {
  const required = [
    'event_id',
    'event_type',
    'event_version',
    'order_id',
    'user_id',
    'total_amount',
    'status',
    'items',
    'region',
    'timestamp',
  ];
  for (const c of Object.values(contracts)) {
    for (const field of required) {
      const broken: Record<string, unknown> = structuredClone(c.example);
      delete broken[field];
      assert.throws(() => parseEvent(broken), InvalidEventError, `${c.example.event_type} without ${field}`);
    }
  }
});

test('wrong types, bad items and unknown types or versions are refused with reasons', () => {
  const ok = contracts['order_created@1']!.example;
  assert.throws(() => parseEvent({ ...ok, total_amount: '99.99' }), /total_amount/);
  assert.throws(() => parseEvent({ ...ok, event_id: 'not-a-uuid' }), /event_id/);
  assert.throws(() => parseEvent({ ...ok, items: [] }), /items/);
  assert.throws(() => parseEvent({ ...ok, items: [{ ...ok.items[0], quantity: 0 }] }), /quantity/);
  assert.throws(() => parseEvent({ ...ok, event_version: 2 }), /unknown event type or version order_created@2/);
  assert.throws(() => parseEvent({ ...ok, event_type: 'order_exploded' }), /unknown event type/);
  assert.throws(() => parseEvent(null), InvalidEventError);
});

test('a producer may add a field within a version; consumers keep working', () => {
  const ok = contracts['payment_succeeded@1']!.example;
  assert.equal(parseEvent({ ...ok, risk_score: 0.1 }).event_type, 'payment_succeeded');
});

test('the notifications topic has its own contracts, read by parseAnyEvent', () => {
  for (const c of Object.values(notificationContracts)) {
    assert.deepEqual(parseAnyEvent(structuredClone(c.example)), c.example);
    assert.throws(() => parseEvent(structuredClone(c.example)), /unknown event type/);
  }
  const ok = notificationContracts['notification_requested@1']!.example;
  assert.throws(() => parseAnyEvent({ ...ok, user_id: 0 }), /user_id/);
  assert.throws(() => parseAnyEvent({ ...ok, data: {} }), /reset_token/);
  assert.equal(parseAnyEvent(contracts['order_created@1']!.example).event_type, 'order_created');
});

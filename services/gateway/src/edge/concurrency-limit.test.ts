import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConcurrencyLimit } from './concurrency-limit.ts';

const limitWithClock = () => {
  const clock = { now: 0 };
  const limit = new ConcurrencyLimit({ max: 20, min: 4, targetMs: 1_000, intervalMs: 500, now: () => clock.now });
  const fill = () => {
    while (limit.tryAcquire());
  };
  return { clock, limit, fill };
};

test('never more than max in flight; a released slot is free again', () => {
  const { limit, fill } = limitWithClock();
  fill();
  assert.deepEqual([limit.inFlight, limit.tryAcquire()], [20, false]);
  limit.release(10);
  assert.equal(limit.tryAcquire(), true);
});

test('intervals whose fastest answer is over target cut the limit, down to min; fast ones raise it back to max', () => {
  const { clock, limit, fill } = limitWithClock();
  const seen: number[] = [];
  for (let i = 0; i < 12; i++) {
    fill();
    limit.release(1_500); // even the fastest answer waited longer than the target
    clock.now += 500;
    limit.tryAcquire();
    seen.push(limit.limit);
  }
  assert.deepEqual(seen.slice(0, 4), [15, 12, 9, 7]);
  assert.equal(seen.at(-1), 4, 'never below min');
  assert.ok(limit.inFlight <= 4 || !limit.tryAcquire(), 'what is in flight beyond the new limit drains first');

  while (limit.inFlight > 0) limit.release(50);
  for (let i = 0; i < 30; i++) {
    limit.tryAcquire();
    limit.release(50);
    clock.now += 500;
  }
  assert.equal(limit.limit, 20);
});

test('one fast answer among slow ones means the service is not queueing; a quiet interval changes nothing', () => {
  const { clock, limit, fill } = limitWithClock();
  fill();
  limit.release(3_000);
  limit.release(40);
  clock.now += 500;
  limit.tryAcquire();
  assert.equal(limit.limit, 20);
  clock.now += 5_000;
  limit.tryAcquire();
  assert.equal(limit.limit, 20);
});

test('a target of 0 keeps the bound fixed', () => {
  const clock = { now: 0 };
  const limit = new ConcurrencyLimit({ max: 5, min: 1, targetMs: 0, intervalMs: 500, now: () => clock.now });
  for (let i = 0; i < 5; i++) {
    limit.tryAcquire();
    limit.release(60_000);
    clock.now += 1_000;
  }
  assert.equal(limit.limit, 5);
});

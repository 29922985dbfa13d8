import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CircuitState } from 'cockatiel';
import { WindowCountBreaker } from './breaker.ts';

test('opens on the 5th failure within 60 s', () => {
  let now = 0;
  const b = new WindowCountBreaker(5, 60_000, () => now);
  for (let i = 0; i < 4; i++) {
    assert.equal(b.failure(CircuitState.Closed), false);
    now += 10_000;
  }
  assert.equal(b.failure(CircuitState.Closed), true);
});

test('failures older than the window do not count', () => {
  let now = 0;
  const b = new WindowCountBreaker(5, 60_000, () => now);
  for (let i = 0; i < 4; i++) b.failure(CircuitState.Closed);
  now = 61_000;
  assert.equal(b.failure(CircuitState.Closed), false);
  for (let i = 0; i < 3; i++) assert.equal(b.failure(CircuitState.Closed), false);
  assert.equal(b.failure(CircuitState.Closed), true);
});

test('successes in between do not reset the count', () => {
  const b = new WindowCountBreaker(3, 60_000);
  b.failure(CircuitState.Closed);
  b.success(CircuitState.Closed);
  b.failure(CircuitState.Closed);
  b.success(CircuitState.Closed);
  assert.equal(b.failure(CircuitState.Closed), true);
});

test('a few failures among many successes do not open it: one bad call is not an outage', () => {
  let now = 0;
  const b = new WindowCountBreaker(5, 60_000, () => now);
  for (let i = 0; i < 100; i++) b.success(CircuitState.Closed);
  for (let i = 0; i < 20; i++) {
    now += 100;
    assert.equal(b.failure(CircuitState.Closed), false);
  }
  // Once the successes age out of the window, the failures are the majority and it opens.
  now += 60_000;
  for (let i = 0; i < 4; i++) assert.equal(b.failure(CircuitState.Closed), false);
  assert.equal(b.failure(CircuitState.Closed), true);
});

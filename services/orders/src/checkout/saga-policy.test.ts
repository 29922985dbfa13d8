import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffMs, decideCompensation, decideForward, type RetryPolicy } from './saga-policy.ts';

const policy: RetryPolicy = {
  baseMs: 1_000,
  maxMs: 60_000,
  maxAttempts: 5,
  maxCompensationAttempts: 3,
  reservationTtlMs: 900_000,
};
const t0 = new Date('2026-12-01T10:00:00Z');

test('backoff doubles per attempt, stays between half and all of the delay, and is capped', () => {
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => backoffMs(policy, n, () => 1)),
    [1_000, 2_000, 4_000, 8_000],
  );
  assert.deepEqual(
    [1, 2, 3].map((n) => backoffMs(policy, n, () => 0)),
    [500, 1_000, 2_000],
  );
  assert.equal(
    backoffMs(policy, 30, () => 1),
    60_000,
  );
});

test('a forward step is retried until its attempts run out, then given up', () => {
  const retry = decideForward(policy, 4, t0, t0, () => 1);
  assert.deepEqual(retry, { kind: 'retry', at: new Date(t0.getTime() + 8_000) });
  assert.equal(decideForward(policy, 5, t0, t0).kind, 'give_up');
});

test('a forward step is never retried past the reservation lifetime', () => {
  const late = new Date(t0.getTime() + 899_500);
  const decision = decideForward(policy, 1, t0, late, () => 1);
  assert.equal(decision.kind, 'give_up');
  assert.match((decision as { why: string }).why, /reservation/);
});

test('a compensation retries longer but parks the order (null) when its attempts run out', () => {
  assert.ok(decideCompensation(policy, 2, t0) instanceof Date);
  assert.equal(decideCompensation(policy, 3, t0), null);
});

/** When the next attempt of a failed step is due, and when to stop trying: the rule written in docs/decisions/0012. */
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  /** Attempts of one forward step before the order is given up (cancelled, refunded, stock released). */
  maxAttempts: number;
  /** Attempts of one compensation before the order is parked for an operator. */
  maxCompensationAttempts: number;
  /** The catalog's reservation lifetime: a step is never retried past it, since the held stock is gone then. */
  reservationTtlMs: number;
}

/** Exponential backoff with full jitter between half and all of the delay, capped. */
export function backoffMs(policy: RetryPolicy, attempts: number, random = Math.random): number {
  const delay = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(delay / 2 + random() * (delay / 2));
}

export type RetryDecision = { kind: 'retry'; at: Date } | { kind: 'give_up'; why: string };

/** A forward step failed for the `attempts`-th time: try again, or give up by the rule. */
export function decideForward(
  policy: RetryPolicy,
  attempts: number,
  placedAt: Date | null,
  now: Date,
  random = Math.random,
): RetryDecision {
  if (attempts >= policy.maxAttempts) return { kind: 'give_up', why: `${attempts} attempts failed` };
  const at = new Date(now.getTime() + backoffMs(policy, attempts, random));
  if (placedAt && at.getTime() > placedAt.getTime() + policy.reservationTtlMs) {
    return { kind: 'give_up', why: 'the next attempt would fall after the reservation expires' };
  }
  return { kind: 'retry', at };
}

/** A compensation failed: compensations are owed, so they retry longer, but not forever. Null parks the order. */
export function decideCompensation(
  policy: RetryPolicy,
  attempts: number,
  now: Date,
  random = Math.random,
): Date | null {
  if (attempts >= policy.maxCompensationAttempts) return null;
  return new Date(now.getTime() + backoffMs(policy, attempts, random));
}

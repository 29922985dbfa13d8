export interface LimitOptions {
  /** The most requests in flight to the service, whatever its latency. */
  max: number;
  /** The fewest the limit ever goes down to, so a slow service is never cut off entirely. */
  min: number;
  /** When even the fastest answer of an interval took longer than this, requests are queueing: let fewer in. */
  targetMs: number;
  intervalMs: number;
  now?: () => number;
}

/**
 * How many requests may be in flight to one service. Bounded by `max`, and below that adapted to the latency the
 * service answers with, as CoDel does for packets: a queue shows as a *minimum* latency above target, since one
 * fast answer in an interval (a cheap read next to slow checkouts) means the service itself is not saturated.
 * Such an interval cuts the limit by a fifth; any other raises it by a tenth (AIMD), back up to `max`.
 */
export class ConcurrencyLimit {
  inFlight = 0;
  limit: number;
  private readonly o: Required<LimitOptions>;
  private windowStart: number;
  private fastest = Infinity;

  constructor(options: LimitOptions) {
    this.o = { now: () => performance.now(), ...options };
    this.limit = options.max;
    this.windowStart = this.o.now();
  }

  /** Takes a slot, or says no when the service already has as many requests as it may. */
  tryAcquire(): boolean {
    this.roll();
    if (this.inFlight >= this.limit) return false;
    this.inFlight++;
    return true;
  }

  release(latencyMs: number): void {
    this.inFlight--;
    if (latencyMs < this.fastest) this.fastest = latencyMs;
    this.roll();
  }

  private roll(): void {
    const o = this.o;
    const now = o.now();
    if (o.targetMs <= 0 || now - this.windowStart < o.intervalMs) return;
    // An interval without answers says nothing (a quiet service, or answers slower than the interval).
    if (this.fastest > o.targetMs && this.fastest !== Infinity) {
      this.limit = Math.max(o.min, Math.floor(Math.min(this.limit, this.inFlight) * 0.8));
    } else if (this.fastest !== Infinity) {
      this.limit = Math.min(o.max, this.limit + Math.max(1, Math.round(this.limit * 0.1)));
    }
    this.windowStart = now;
    this.fastest = Infinity;
  }
}

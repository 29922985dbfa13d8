import type { CircuitState, IBreaker } from 'cockatiel';

const BUCKETS = 12;

/**
 * Opens after `threshold` failures within a sliding `windowMs` (the design's "5 failures in 60 s"), but only
 * when failures are also at least `minShare` of the calls in that window: under load, five failing calls
 * among thousands that succeed (one bad order, say) are not an outage, and must not cut everyone off.
 * Counts live in time buckets, so a busy client keeps a dozen numbers, not a timestamp per call.
 */
export class WindowCountBreaker implements IBreaker {
  private buckets: Array<{ start: number; ok: number; failed: number }> = [];
  private readonly threshold: number;
  private readonly windowMs: number;
  private readonly minShare: number;
  private readonly now: () => number;

  constructor(threshold: number, windowMs: number, now: () => number = Date.now, minShare = 0.5) {
    this.threshold = threshold;
    this.windowMs = windowMs;
    this.now = now;
    this.minShare = minShare;
  }

  get state(): unknown {
    return { buckets: this.buckets };
  }

  set state(value: unknown) {
    const buckets = (value as { buckets?: unknown } | undefined)?.buckets;
    this.buckets = Array.isArray(buckets) ? (buckets as typeof this.buckets) : [];
  }

  private bucket(): { start: number; ok: number; failed: number } {
    const now = this.now();
    const width = this.windowMs / BUCKETS;
    const start = Math.floor(now / width) * width;
    this.buckets = this.buckets.filter((b) => b.start > now - this.windowMs);
    let last = this.buckets.at(-1);
    if (!last || last.start !== start) this.buckets.push((last = { start, ok: 0, failed: 0 }));
    return last;
  }

  success(_state: CircuitState): void {
    this.bucket().ok++;
  }

  failure(_state: CircuitState): boolean {
    this.bucket().failed++;
    const failed = this.buckets.reduce((n, b) => n + b.failed, 0);
    const total = this.buckets.reduce((n, b) => n + b.ok + b.failed, 0);
    if (failed >= this.threshold && failed >= total * this.minShare) {
      this.buckets = [];
      return true;
    }
    return false;
  }
}

import type { CircuitState, IBreaker } from 'cockatiel';

/**
 * Opens after `threshold` failures within a sliding `windowMs` (the design's "5 failures in 60 s").
 * cockatiel's own breakers count consecutive failures or failure ratios, neither of which is that rule.
 */
export class WindowCountBreaker implements IBreaker {
  private failures: number[] = [];
  private readonly threshold: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(threshold: number, windowMs: number, now: () => number = Date.now) {
    this.threshold = threshold;
    this.windowMs = windowMs;
    this.now = now;
  }

  get state(): unknown {
    return { failures: this.failures };
  }

  set state(value: unknown) {
    const failures = (value as { failures?: unknown } | undefined)?.failures;
    this.failures = Array.isArray(failures) ? failures.filter((n): n is number => typeof n === 'number') : [];
  }

  success(_state: CircuitState): void {
    // Successes do not erase recent failures: the rule counts failures per window, not in a row.
  }

  failure(_state: CircuitState): boolean {
    const now = this.now();
    this.failures = this.failures.filter((t) => now - t < this.windowMs);
    this.failures.push(now);
    if (this.failures.length >= this.threshold) {
      this.failures = [];
      return true;
    }
    return false;
  }
}

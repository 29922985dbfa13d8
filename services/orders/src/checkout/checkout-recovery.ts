import { randomUUID } from 'node:crypto';
import { Gauge, sharedMetric, type Registry } from '@emporium/kit';
import type { CheckoutRepository } from './checkout-repository.ts';
import type { SagaRunner } from './saga-runner.ts';

interface LogLike {
  error(obj: object, msg: string): void;
}

export interface RecoveryDeps {
  checkouts: CheckoutRepository;
  runner: SagaRunner;
  registry: Registry;
  log: LogLike;
  leaseSeconds: number;
  /** Orders taken per pass, and how many run at once. */
  batchSize?: number;
  concurrency?: number;
}

/**
 * Finishes the sagas a crash or an outage interrupted: claims due orders (SKIP LOCKED, so several order
 * processes share the work) and runs each on its own, so one order that keeps failing never holds up another.
 */
export function createRecovery(deps: RecoveryDeps) {
  const { checkouts, runner, registry } = deps;
  const concurrency = deps.concurrency ?? 4;

  const byStep = sharedMetric(
    registry,
    'emporium_orders_saga_orders',
    () =>
      new Gauge({
        name: 'emporium_orders_saga_orders',
        help: 'Unfinished checkouts by step and direction',
        labelNames: ['step', 'direction'],
        registers: [registry],
      }),
  );
  const late = sharedMetric(
    registry,
    'emporium_orders_saga_overdue_orders',
    () =>
      new Gauge({
        name: 'emporium_orders_saga_overdue_orders',
        help: 'Unfinished checkouts more than 30 s past their next attempt',
        registers: [registry],
      }),
  );
  const parked = sharedMetric(
    registry,
    'emporium_orders_saga_parked_orders',
    () =>
      new Gauge({
        name: 'emporium_orders_saga_parked_orders',
        help: 'Checkouts whose compensation gave up: an operator must look',
        registers: [registry],
      }),
  );

  return {
    /** One pass; resolves with how many orders it ran. */
    async recoverOnce(): Promise<number> {
      const owner = randomUUID();
      const due = await checkouts.claimDue(owner, deps.batchSize ?? 20, deps.leaseSeconds);
      let next = 0;
      const worker = async () => {
        while (next < due.length) {
          const row = due[next++]!;
          try {
            await runner.run(row, owner, { resumed: true });
          } catch (err) {
            // The lease lapses and a later pass tries again; the rest of this batch goes on.
            deps.log.error({ order_id: row.id, err: (err as Error).message }, 'recovering an order failed');
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
      return due.length;
    },

    /** Refreshes the saga gauges from the table (called before each scrape and by the recovery loop). */
    async census(): Promise<void> {
      const c = await checkouts.census(30);
      byStep.reset();
      for (const s of c.byStep) byStep.set({ step: s.step, direction: s.compensating ? 'undo' : 'forward' }, s.n);
      late.set(c.late);
      parked.set(c.parked);
    },
  };
}

export type Recovery = ReturnType<typeof createRecovery>;

import { Counter, DomainError, sharedMetric, type Registry } from '@emporium/kit';
import type { CatalogClient } from '../clients/catalog-client.ts';
import type { PaymentClient } from '../clients/payment-client.ts';
import { orderEvent } from '../orders/order-events.ts';
import type { OrderRepository } from '../orders/order-repository.ts';
import type { OrderItem, OrderRow, StepName } from '../orders/order.ts';
import type { CheckoutRepository, Progress } from './checkout-repository.ts';
import { retryOf, type SagaStep, type StepResult } from './saga.ts';
import { decideCompensation, decideForward, type RetryPolicy } from './saga-policy.ts';
import { confirmOrder } from './steps/confirm-order.ts';
import { reserveStock } from './steps/reserve-stock.ts';
import { settleStock } from './steps/settle-stock.ts';
import { takePayment } from './steps/take-payment.ts';

/** Checkout, in order. Undoing runs the compensations of the steps before the failure, in reverse. */
export const STEPS: readonly SagaStep[] = [reserveStock, takePayment, settleStock, confirmOrder];

/** The reason recorded on an order given up at each step. */
const GIVE_UP_REASON: Record<string, string> = {
  reserve_stock: 'stock_unresolved',
  take_payment: 'payment_unresolved',
  settle_stock: 'stock_unresolved',
  confirm_order: 'checkout_unresolved',
};

export interface RunOutcome {
  /** Undefined when the order was never placed and has been discarded. */
  order: OrderRow | undefined;
  items: OrderItem[];
  /** Why an order that was never placed was not placed (refused stock, the catalog unreachable). */
  error?: DomainError;
  /** Another runner took the order over (this one's lease lapsed): it wrote nothing more. */
  lostLease?: boolean;
}

interface LogLike {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RunnerDeps {
  checkouts: CheckoutRepository;
  orders: OrderRepository;
  catalog: CatalogClient;
  payments: PaymentClient;
  policy: RetryPolicy;
  leaseSeconds: number;
  log: LogLike;
  registry: Registry;
  now?: () => Date;
}

class LostLease extends Error {}

/** The first step at or before `index` that has something to undo; `done` when none has. */
function compensationFrom(index: number): StepName {
  for (let i = index; i >= 0; i--) if (STEPS[i]!.compensate) return STEPS[i]!.name;
  return 'done';
}

/**
 * Moves an order through its steps while it holds the order's lease, for the request and for recovery alike.
 * Every step is idempotent per order id, so progress is written only when there is something to record (an
 * event, a retry, the end): a crash in between replays the steps since the last record, which is harmless.
 */
export function createSagaRunner(deps: RunnerDeps) {
  const now = deps.now ?? (() => new Date());
  const failures = sharedMetric(
    deps.registry,
    'emporium_orders_saga_step_failures_total',
    () =>
      new Counter({
        name: 'emporium_orders_saga_step_failures_total',
        help: 'Checkout steps that failed and will be retried or undone',
        labelNames: ['step', 'direction'],
        registers: [deps.registry],
      }),
  );
  const giveUps = sharedMetric(
    deps.registry,
    'emporium_orders_saga_give_ups_total',
    () =>
      new Counter({
        name: 'emporium_orders_saga_give_ups_total',
        help: 'Orders cancelled because a step kept failing',
        labelNames: ['step'],
        registers: [deps.registry],
      }),
  );

  async function run(
    start: OrderRow,
    owner: string,
    options: { items?: OrderItem[]; resumed?: boolean } = {},
  ): Promise<RunOutcome> {
    let row = start;
    let items = options.items ?? (row.placed_at ? (await deps.orders.items([row.id])).get(row.id)! : []);
    let paymentId = row.payment_id;
    let error: DomainError | undefined;

    const save = async (p: Omit<Progress, 'compensating' | 'paymentId'>): Promise<OrderRow> => {
      const saved = await deps.checkouts.record(
        row.id,
        owner,
        { ...p, compensating: row.compensating, ...(paymentId ? { paymentId } : {}) },
        deps.leaseSeconds,
      );
      if (!saved) throw new LostLease();
      return saved;
    };
    const event = (
      type: 'order_created' | 'order_status_changed' | 'order_cancelled',
      status: OrderRow['status'],
      cancelReason: string | null = null,
    ) =>
      orderEvent(
        type,
        { ...row, total_amount: row.total_amount, status, cancel_reason: cancelReason },
        items,
        type === 'order_created' ? undefined : row.status,
      );

    // A request that died while reserving told its client nothing good: its order is abandoned, not completed.
    if (options.resumed && !row.placed_at && !row.compensating) row = { ...row, compensating: true };

    try {
      while (row.step !== 'done') {
        const index = STEPS.findIndex((s) => s.name === row.step);
        const step = STEPS[index]!;
        const ctx = { order: row, items, paymentId, catalog: deps.catalog, payments: deps.payments };

        if (row.compensating) {
          const result = step.compensate ? await step.compensate(ctx).catch(retryOf) : { kind: 'done' as const };
          if (result.kind === 'retry') {
            failures.inc({ step: step.name, direction: 'undo' });
            // A call our open circuit refused was not an attempt: only real tries count toward parking.
            const attempts = result.untried ? row.attempts : row.attempts + 1;
            const at = decideCompensation(deps.policy, attempts, now());
            if (!at)
              deps.log.error(
                { order_id: row.id, step: step.name, err: result.error },
                'compensation keeps failing; order parked for an operator',
              );
            row = await save({
              step: step.name,
              attempts,
              nextAttemptAt: at,
              lastError: result.error,
              keepLease: false,
            });
            return { order: row, items, ...(error ? { error } : {}) };
          }
          const next = compensationFrom(index - 1);
          if (next !== 'done') {
            row = { ...row, step: next, attempts: 0 };
          } else if (!row.placed_at) {
            await deps.checkouts.discard(row.id, owner);
            return { order: undefined, items: [], error: error ?? unplaced() };
          } else {
            row = await save({ step: 'done', attempts: 0, nextAttemptAt: null, lastError: null, keepLease: false });
          }
          continue;
        }

        let result: StepResult = await step.run(ctx).catch(retryOf);
        if (result.kind === 'next') {
          if (result.items) items = result.items;
          if (result.paymentId) paymentId = result.paymentId;
          const next = STEPS[index + 1]?.name ?? 'done';
          if (step === reserveStock) {
            row = await save({
              step: next,
              items,
              attempts: 0,
              nextAttemptAt: now(),
              lastError: null,
              keepLease: true,
              event: createdEvent(),
            });
          } else if (next === 'done') {
            const confirmed =
              row.status === 'processing'
                ? {}
                : { status: 'processing' as const, event: event('order_status_changed', 'processing') };
            row = await save({
              step: 'done',
              ...confirmed,
              attempts: 0,
              nextAttemptAt: null,
              lastError: null,
              keepLease: false,
            });
          } else {
            row = { ...row, step: next, attempts: 0 };
          }
          continue;
        }

        if (result.kind === 'retry') {
          failures.inc({ step: step.name, direction: 'forward' });
          if (!row.placed_at) {
            // Nobody has been promised an order yet: undo and tell the client, rather than place it later.
            error = new DomainError(
              'catalog_unavailable',
              'unavailable',
              'Stock could not be reserved just now; try again shortly.',
              { retryAfterSeconds: 2 },
            );
            result = { kind: 'cancel', reason: 'catalog_unavailable', undoSelf: true };
          } else {
            // Untried (our circuit is open) does not count as an attempt; the reservation lifetime still bounds it.
            const attempts = result.untried ? row.attempts : row.attempts + 1;
            const decision = decideForward(deps.policy, attempts, row.placed_at, now());
            if (decision.kind === 'retry') {
              row = await save({
                step: step.name,
                attempts,
                nextAttemptAt: decision.at,
                lastError: result.error,
                keepLease: false,
              });
              return { order: row, items };
            }
            giveUps.inc({ step: step.name });
            deps.log.warn(
              { order_id: row.id, step: step.name, why: decision.why, err: result.error },
              'checkout step given up; cancelling the order',
            );
            result = { kind: 'cancel', reason: GIVE_UP_REASON[step.name]!, undoSelf: true };
          }
        }

        // Cancel: record it with its event (if the order was ever placed), then undo from here backwards.
        if (result.error) error = result.error;
        const from = compensationFrom(result.undoSelf ? index : index - 1);
        if (row.placed_at) {
          const cancelled = event('order_cancelled', 'cancelled', result.reason);
          row = { ...row, compensating: true };
          row = await save({
            step: from,
            status: 'cancelled',
            cancelReason: result.reason,
            attempts: 0,
            nextAttemptAt: now(),
            lastError: null,
            keepLease: true,
            event: cancelled,
          });
        } else {
          row = { ...row, compensating: true, step: from, attempts: 0 };
        }
      }
      return { order: row, items, ...(error ? { error } : {}) };
    } catch (err) {
      if (err instanceof LostLease) return { order: undefined, items, lostLease: true };
      throw err;
    }

    function createdEvent() {
      const total = items.reduce((sum, i) => sum + Math.round(i.price * 100) * i.quantity, 0) / 100;
      return orderEvent(
        'order_created',
        { ...row, total_amount: total, status: 'pending', cancel_reason: null },
        items,
      );
    }
  }

  return { run };
}

const unplaced = () =>
  new DomainError('checkout_failed', 'unavailable', 'The order could not be placed; try again shortly.', {
    retryAfterSeconds: 2,
  });

export type SagaRunner = ReturnType<typeof createSagaRunner>;

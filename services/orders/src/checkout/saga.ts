import { DomainError } from '@emporium/kit';
import type { CatalogClient } from '../clients/catalog-client.ts';
import type { PaymentClient } from '../clients/payment-client.ts';
import type { OrderItem, OrderRow, StepName } from '../orders/order.ts';

/** What a step sees: the order as recorded, its lines, and what earlier steps of this run learned. */
export interface StepContext {
  order: OrderRow;
  items: OrderItem[];
  paymentId: string | null;
  catalog: CatalogClient;
  payments: PaymentClient;
}

export type StepResult =
  /** Done; move on. A step may hand over what it learned (the reserved lines, the payment id). */
  | { kind: 'next'; items?: OrderItem[]; paymentId?: string }
  /**
   * Not now (an outage, an unknown outcome): the same step again later. `untried` when the call never left
   * (our circuit to the service is open): that is not an attempt, so it does not count toward giving up.
   */
  | { kind: 'retry'; error: string; untried?: boolean }
  /**
   * Never (declined, refused): the order is cancelled and what earlier steps did is undone. `undoSelf` says
   * whether this step's own compensation runs too (it may have had an effect before failing).
   */
  | { kind: 'cancel'; reason: string; undoSelf: boolean; error?: DomainError };

export type CompensationResult = { kind: 'done' } | { kind: 'retry'; error: string; untried?: boolean };

export interface SagaStep {
  name: Exclude<StepName, 'done'>;
  run(ctx: StepContext): Promise<StepResult>;
  /** Undoes the step; safe to repeat, and safe when the step never ran. */
  compensate?(ctx: StepContext): Promise<CompensationResult>;
}

/** An exception from a step is a retry, never a crash of the runner: the message is kept on the row. */
export const failureOf = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 500);

/** The retry for a step that threw; a call refused by our own open circuit was never tried. */
export const retryOf = (err: unknown): { kind: 'retry'; error: string; untried: boolean } => ({
  kind: 'retry',
  error: failureOf(err),
  untried: err instanceof DomainError && err.code === 'upstream_unavailable',
});

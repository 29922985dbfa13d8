import { createServiceClient, DomainError, type Registry, type ServiceCredential } from '@emporium/kit';
import type { OrderItem } from '../orders/order.ts';

export type PaymentOutcome =
  | { status: 'succeeded'; paymentId: number }
  | { status: 'declined'; paymentId: number; failureCode: string }
  | { status: 'unknown' };

export interface PaymentRequest {
  order_id: number;
  amount: number;
  payment_method: string;
  order: { user_id: number; total_amount: number; region: string; items: OrderItem[] };
}

/** The payment service's internal API: one payment per order, so repeating a charge is safe. */
export function createPaymentClient(options: {
  baseUrl: string;
  timeoutMs: number;
  registry: Registry;
  /** Orders' own credential: these internal routes accept only the order service. */
  credential: ServiceCredential;
}) {
  const http = createServiceClient({ target: 'payments', ...options });

  return {
    async process(request: PaymentRequest): Promise<PaymentOutcome> {
      let res;
      try {
        res = await http.json<{ id?: number; payment_id?: number; failure_code?: string; code?: string }>({
          method: 'POST',
          path: '/internal/payments/process',
          body: request,
          idempotent: true,
        });
      } catch (err) {
        // No answer: the payment may have happened. It is settled later by asking, never by charging again.
        // Our own open circuit is different: the call never left, so nothing happened, and the caller says so.
        if (err instanceof DomainError && err.code !== 'upstream_unavailable') return { status: 'unknown' };
        throw err;
      }
      if (res.statusCode === 200 || res.statusCode === 201) return { status: 'succeeded', paymentId: res.body.id! };
      if (res.statusCode === 402)
        return {
          status: 'declined',
          paymentId: res.body.payment_id!,
          failureCode: res.body.failure_code ?? 'declined',
        };
      if (res.statusCode >= 500) return { status: 'unknown' };
      throw new DomainError(
        'payment_rejected',
        'validation',
        `The payment service refused the charge (${res.body.code ?? res.statusCode}).`,
      );
    },
    /**
     * Undoes the order's payment whatever its state: refunded if it was charged, and blocked if it never was,
     * so no charge can happen for the order afterwards. `pending` while the provider's answer is not known yet.
     */
    async voidOrder(request: PaymentRequest): Promise<'voided' | 'pending'> {
      const res = await http.json<{ outcome?: string; code?: string }>({
        method: 'POST',
        path: '/internal/payments/void',
        body: request,
        idempotent: true,
      });
      if (res.statusCode === 200) return 'voided';
      if (res.statusCode === 503 && res.body?.code === 'payment_outcome_unknown') return 'pending';
      throw new DomainError(
        'void_unavailable',
        'unavailable',
        `The payment could not be voided (${res.statusCode}); it will be retried.`,
      );
    },
    close: () => http.close(),
  };
}

export type PaymentClient = ReturnType<typeof createPaymentClient>;

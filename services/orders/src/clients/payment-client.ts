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
        res = await http.json<{ id?: number; payment_id?: number; failure_code?: string; code?: string }>({ method: 'POST', path: '/internal/payments/process', body: request, idempotent: true });
      } catch (err) {
        // No answer: the payment may have happened. It is settled later by asking, never by charging again.
        if (err instanceof DomainError) return { status: 'unknown' };
        throw err;
      }
      if (res.statusCode === 200 || res.statusCode === 201) return { status: 'succeeded', paymentId: res.body.id! };
      if (res.statusCode === 402) return { status: 'declined', paymentId: res.body.payment_id!, failureCode: res.body.failure_code ?? 'declined' };
      if (res.statusCode >= 500) return { status: 'unknown' };
      throw new DomainError('payment_rejected', 'validation', `The payment service refused the charge (${res.body.code ?? res.statusCode}).`);
    },
    /** A full refund, once, whatever the number of calls: the key is the order's. */
    async refundOrder(orderId: number, paymentId: number): Promise<void> {
      const res = await http.json<{ code?: string }>({ method: 'POST', path: '/internal/payments/refund', body: { payment_id: paymentId }, headers: { 'idempotency-key': `cancel-order-${orderId}` }, idempotent: true });
      // Already refunded in full (by an earlier attempt or an admin) is the outcome we wanted.
      if (res.statusCode === 200 || (res.statusCode === 409 && res.body.code === 'payment_not_refundable')) return;
      throw new DomainError('refund_unavailable', 'unavailable', `The refund could not be made (${res.statusCode}); it will be retried.`);
    },
    close: () => http.close(),
  };
}

export type PaymentClient = ReturnType<typeof createPaymentClient>;

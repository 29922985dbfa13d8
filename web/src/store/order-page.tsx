import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../shared/api.ts';
import { formatAddress, formatDateTime, formatMoney, reasonWords, statusWord } from '../shared/format.ts';
import { OrderLines } from '../shared/order-lines.tsx';
import type { Order, OrderStatus, Payment } from '../shared/types.ts';
import { ConfirmButton, Loading, Problem, StatusBadge, useTitle } from '../shared/ui.tsx';

const FLOW: OrderStatus[] = ['pending', 'processing', 'shipped', 'delivered'];
// Orders and refunds move on the server (payments, the shop's staff); the page asks again every few seconds.
const POLL_MS = 2_000;

export function Timeline({ order }: { order: Order }) {
  const reached = FLOW.indexOf(order.status);
  const steps = order.status === 'cancelled' ? [...FLOW.slice(0, 2), 'cancelled' as const] : FLOW;
  return (
    <ol className="timeline" aria-label="Order status">
      {steps.map((step, i) => {
        const state = step === order.status ? 'current' : order.status === 'cancelled' || i < reached ? 'done' : 'todo';
        return (
          <li key={step} className={`step ${state}`} aria-current={step === order.status ? 'step' : undefined}>
            <span className="step-name">{statusWord(step)}</span>
            {step === order.status && <span className="step-when">{formatDateTime(order.updated_at)}</span>}
          </li>
        );
      })}
    </ol>
  );
}

function usePayment(order: Order | undefined) {
  return useQuery({
    queryKey: ['payment', order?.id],
    enabled: !!order?.payment_id,
    queryFn: async () => {
      try {
        return await api<Payment>(`/api/payments/order/${order!.id}`);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    // A cancelled paid order is refunded shortly after; keep asking until it is.
    refetchInterval: (q) =>
      order?.status === 'cancelled' && q.state.data && q.state.data.status !== 'refunded' ? POLL_MS : false,
  });
}

export function OrderDetail({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const order = useQuery({
    queryKey: ['order', id],
    queryFn: () => api<Order>(`/api/orders/${id}`),
    refetchInterval: (q) =>
      q.state.data && ['delivered', 'cancelled'].includes(q.state.data.status) ? false : POLL_MS,
  });
  const payment = usePayment(order.data);
  const cancel = useMutation({
    mutationFn: () => api<Order>(`/api/orders/${id}`, { method: 'DELETE' }),
    onSuccess: (o) => {
      queryClient.setQueryData(['order', id], o);
      void queryClient.invalidateQueries({ queryKey: ['payment', o.id] });
      void queryClient.invalidateQueries({ queryKey: ['orders'] });
    },
  });
  if (order.isPending) return <Loading what="Loading the order" />;
  if (order.error) return <Problem error={order.error} />;
  const o = order.data;
  const cancellable = o.status === 'pending' || o.status === 'processing';
  return (
    <article className="order">
      <h1>
        Order #{o.id} <StatusBadge status={o.status} />
      </h1>
      <p className="muted">Placed {formatDateTime(o.created_at)}</p>
      <div role="status" aria-live="polite" className="order-status">
        <Timeline order={o} />
        {o.status === 'cancelled' && <p>Cancelled because {reasonWords(o.cancel_reason)}.</p>}
        {payment.data && (
          <p className="payment">
            Payment: <StatusBadge status={payment.data.status} />{' '}
            {payment.data.refunded_amount > 0 && `${formatMoney(payment.data.refunded_amount)} refunded`}
          </p>
        )}
      </div>
      <OrderLines order={o} />
      <h2>Shipping to</h2>
      <address>{formatAddress(o.shipping_address)}</address>
      {cancellable && (
        <p>
          <ConfirmButton
            label="Cancel order"
            question="Cancel this order? Its payment is refunded in full."
            confirmLabel="Yes, cancel order"
            busy={cancel.isPending}
            onConfirm={() => cancel.mutate()}
          />
        </p>
      )}
      <Problem error={cancel.error} />
    </article>
  );
}

export function OrderPage() {
  const { id } = useParams();
  useTitle(`Order #${id} · Emporium`);
  return <OrderDetail id={id!} />;
}

export function ConfirmationPage() {
  const { id } = useParams();
  useTitle('Thank you · Emporium');
  return (
    <>
      <section className="confirmation" aria-labelledby="thanks">
        <h1 id="thanks">Thank you for your order</h1>
        <p>
          We have your order #{id}. Follow it here or under <Link to="/orders">your orders</Link>.
        </p>
      </section>
      <OrderDetail id={id!} />
    </>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../shared/api.ts';
import { formatAddress, formatDateTime, formatMoney, reasonWords } from '../shared/format.ts';
import { OrderLines } from '../shared/order-lines.tsx';
import type { Order, OrderStatus, Payment } from '../shared/types.ts';
import { ConfirmButton, Field, fieldError, Loading, Problem, StatusBadge, useTitle } from '../shared/ui.tsx';

function RefundForm({ payment, onDone }: { payment: Payment; onDone: () => void }) {
  const [amount, setAmount] = useState('');
  const refund = useMutation({
    mutationFn: () =>
      api<Payment>('/api/payments/refund', {
        method: 'POST',
        body: { payment_id: payment.id, ...(amount ? { amount: Number(amount) } : {}) },
      }),
    onSuccess: () => {
      setAmount('');
      onDone();
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    refund.mutate();
  };
  return (
    <form onSubmit={submit} className="form" noValidate aria-label="Refund">
      <Field
        label="Refund amount"
        name="amount"
        inputMode="decimal"
        hint={`Leave empty to refund all that is left (${formatMoney(payment.amount - payment.refunded_amount)})`}
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        error={fieldError(refund.error, 'amount')}
      />
      <Problem error={refund.error} />
      <button type="submit" className="danger" disabled={refund.isPending}>
        Refund
      </button>
    </form>
  );
}

export function OrderAdminPage() {
  const { id } = useParams();
  useTitle(`Order #${id} · Emporium admin`);
  const queryClient = useQueryClient();
  const order = useQuery({ queryKey: ['admin-order', id], queryFn: () => api<Order>(`/api/orders/${id}`) });
  const payment = useQuery({
    queryKey: ['admin-payment', id],
    enabled: !!order.data?.payment_id,
    queryFn: () =>
      api<Payment>(`/api/payments/order/${id}`).catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }),
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['admin-order', id] });
    void queryClient.invalidateQueries({ queryKey: ['admin-payment', id] });
    void queryClient.invalidateQueries({ queryKey: ['admin-orders'] });
  };
  const move = useMutation({
    mutationFn: (status: OrderStatus) => api<Order>(`/api/orders/${id}/status`, { method: 'PATCH', body: { status } }),
    onSuccess: refresh,
  });
  if (order.isPending) return <Loading what="Loading the order" />;
  if (order.error) return <Problem error={order.error} />;
  const o = order.data;
  const p = payment.data;
  return (
    <article>
      <p>
        <Link to="/orders">All orders</Link>
      </p>
      <h1>
        Order #{o.id} <StatusBadge status={o.status} />
      </h1>
      <p className="muted">
        Customer {o.user_id} · placed {formatDateTime(o.created_at)} · updated {formatDateTime(o.updated_at)}
      </p>
      {o.cancel_reason && <p>Cancelled because {reasonWords(o.cancel_reason)}.</p>}
      <div className="actions">
        {o.status === 'processing' && (
          <button type="button" disabled={move.isPending} onClick={() => move.mutate('shipped')}>
            Mark shipped
          </button>
        )}
        {o.status === 'shipped' && (
          <button type="button" disabled={move.isPending} onClick={() => move.mutate('delivered')}>
            Mark delivered
          </button>
        )}
        {(o.status === 'pending' || o.status === 'processing') && (
          <ConfirmButton
            label="Cancel order"
            question="Cancel, refund and restock this order?"
            confirmLabel="Yes, cancel"
            busy={move.isPending}
            onConfirm={() => move.mutate('cancelled')}
          />
        )}
      </div>
      <Problem error={move.error} />
      <OrderLines order={o} />
      <h2>Shipping</h2>
      <address>{formatAddress(o.shipping_address)}</address>
      <h2>Payment</h2>
      {payment.isLoading && <Loading what="Loading the payment" />}
      <Problem error={payment.error} />
      {!o.payment_id && <p>No payment taken.</p>}
      {p && (
        <>
          <p>
            <StatusBadge status={p.status} /> {formatMoney(p.amount)} by {p.payment_method}
            {p.refunded_amount > 0 && `, ${formatMoney(p.refunded_amount)} refunded`}
          </p>
          {(p.status === 'succeeded' || p.status === 'partially_refunded') && (
            <RefundForm payment={p} onDone={refresh} />
          )}
        </>
      )}
    </article>
  );
}

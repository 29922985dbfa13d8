import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, query, type Page } from '../shared/api.ts';
import { formatDateTime, formatMoney } from '../shared/format.ts';
import { useSession } from '../shared/session.ts';
import { isDeclinedAttempt, type Order } from '../shared/types.ts';
import { Empty, Loading, Pager, Problem, StatusBadge, usePager, useTitle } from '../shared/ui.tsx';

export function OrdersPage() {
  useTitle('Your orders · Emporium');
  const session = useSession()!;
  const pager = usePager('orders');
  const orders = useQuery({
    queryKey: ['orders', session.user.id, pager.cursor],
    queryFn: () => api<Page<Order>>(`/api/orders/user/${session.user.id}${query({ limit: 10, cursor: pager.cursor })}`),
    placeholderData: keepPreviousData,
  });
  // A declined checkout is recorded as a cancelled order, but the customer never had that order.
  const shown = orders.data?.items.filter((o) => !isDeclinedAttempt(o));
  return (
    <section>
      <h1>Your orders</h1>
      {orders.isPending && <Loading what="Loading your orders" />}
      <Problem error={orders.error} />
      {shown && shown.length === 0 && (
        <Empty>
          No orders yet. <Link to="/">Start shopping</Link>
        </Empty>
      )}
      {shown && shown.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Your orders, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Placed</th>
              <th scope="col">Items</th>
              <th scope="col">Total</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/orders/${o.id}`}>Order #{o.id}</Link>
                </td>
                <td>{formatDateTime(o.created_at)}</td>
                <td>{o.items.reduce((n, i) => n + i.quantity, 0)}</td>
                <td>{formatMoney(o.total_amount)}</td>
                <td>
                  <StatusBadge status={o.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager pager={pager} nextCursor={orders.data?.next_cursor} />
    </section>
  );
}

import { Link } from 'react-router';
import { formatDateTime, formatMoney } from '../shared/format.ts';
import type { Order } from '../shared/types.ts';
import { StatusBadge, useTitle } from '../shared/ui.tsx';
import { ListResult, useFilteredList } from './filtered-list.tsx';

const STATUSES = ['pending', 'processing', 'shipped', 'delivered', 'cancelled'];

export function OrdersAdminPage() {
  useTitle('Orders · Emporium admin');
  const { filters, pager, list, apply, formKey } = useFilteredList<Order>({
    key: 'admin-orders',
    path: '/api/orders',
    filters: ['q', 'status', 'from', 'to'],
    refetchInterval: 10_000,
  });
  return (
    <section>
      <h1>Orders</h1>
      <form className="toolbar" onSubmit={apply} aria-label="Filter orders" key={formKey}>
        <div className="field">
          <label htmlFor="o-q">Search</label>
          <input
            id="o-q"
            name="q"
            type="search"
            placeholder="Order or user id, product, address"
            defaultValue={filters['q']}
          />
        </div>
        <div className="field">
          <label htmlFor="o-status">Status</label>
          <select id="o-status" name="status" defaultValue={filters['status'] ?? ''}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="o-from">Placed from</label>
          <input id="o-from" name="from" type="date" defaultValue={filters['from']} />
        </div>
        <div className="field">
          <label htmlFor="o-to">Placed before</label>
          <input id="o-to" name="to" type="date" defaultValue={filters['to']} />
        </div>
        <button type="submit">Filter</button>
      </form>
      <ListResult list={list} pager={pager} loading="Loading orders" empty="No orders match.">
        {(orders) => (
          <table className="table">
            <caption className="visually-hidden">Orders, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Customer</th>
                <th scope="col">Placed</th>
                <th scope="col">Total</th>
                <th scope="col">Ship to</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {orders.map((o) => (
                <tr key={o.id}>
                  <td>
                    <Link to={`/orders/${o.id}`}>#{o.id}</Link>
                  </td>
                  <td>user {o.user_id}</td>
                  <td>{formatDateTime(o.created_at)}</td>
                  <td>{formatMoney(o.total_amount)}</td>
                  <td>
                    {o.shipping_address.city}, {o.shipping_address.country}
                  </td>
                  <td>
                    <StatusBadge status={o.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </ListResult>
    </section>
  );
}

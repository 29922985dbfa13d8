import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, query, type Page } from '../shared/api.ts';
import { formatDateTime, formatMoney } from '../shared/format.ts';
import type { Order } from '../shared/types.ts';
import { Empty, Loading, Pager, Problem, StatusBadge, usePager, useTitle } from '../shared/ui.tsx';

const STATUSES = ['pending', 'processing', 'shipped', 'delivered', 'cancelled'];

export function OrdersAdminPage() {
  useTitle('Orders · Emporium admin');
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(params.entries());
  const pager = usePager(params.toString());
  const orders = useQuery({
    queryKey: ['admin-orders', filters, pager.cursor],
    queryFn: () => api<Page<Order>>(`/api/orders${query({ ...filters, limit: 25, cursor: pager.cursor })}`),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const key of ['q', 'status', 'from', 'to']) {
      const value = String(form.get(key) ?? '').trim();
      if (value) next.set(key, value);
    }
    setParams(next);
  };
  return (
    <section>
      <h1>Orders</h1>
      <form className="toolbar" onSubmit={apply} aria-label="Filter orders" key={params.toString()}>
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
      {orders.isPending && <Loading what="Loading orders" />}
      <Problem error={orders.error} />
      {orders.data?.items.length === 0 && <Empty>No orders match.</Empty>}
      {orders.data && orders.data.items.length > 0 && (
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
            {orders.data.items.map((o) => (
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
      <Pager pager={pager} nextCursor={orders.data?.next_cursor} />
    </section>
  );
}

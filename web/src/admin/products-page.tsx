import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, query, type Page } from '../shared/api.ts';
import { formatMoney } from '../shared/format.ts';
import type { Product } from '../shared/types.ts';
import { ConfirmButton, Empty, Loading, Pager, Problem, usePager, useTitle } from '../shared/ui.tsx';

/** Adds or removes stock by a signed amount; the catalog refuses (409) a change below zero. */
export function StockAdjust({ product }: { product: Product }) {
  const queryClient = useQueryClient();
  const [delta, setDelta] = useState('');
  const adjust = useMutation({
    mutationFn: (by: number) =>
      api<Product>(`/api/products/${product.id}/stock`, { method: 'PATCH', body: { delta: by } }),
    onSuccess: () => {
      setDelta('');
      void queryClient.invalidateQueries({ queryKey: ['admin-products'] });
      void queryClient.invalidateQueries({ queryKey: ['admin-product', String(product.id)] });
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const by = Number(delta);
    if (Number.isInteger(by) && by !== 0) adjust.mutate(by);
  };
  return (
    <form onSubmit={submit} className="actions" aria-label={`Adjust stock of ${product.name}`}>
      <label htmlFor={`delta-${product.id}`} className="visually-hidden">
        Change stock of {product.name} by
      </label>
      <input
        id={`delta-${product.id}`}
        type="number"
        step={1}
        placeholder="±"
        value={delta}
        onChange={(e) => setDelta(e.target.value)}
        style={{ width: '6rem' }}
      />
      <button type="submit" className="secondary" disabled={adjust.isPending}>
        Adjust
      </button>
      {adjust.error ? <Problem error={adjust.error} /> : null}
    </form>
  );
}

export function ProductsAdminPage() {
  useTitle('Products · Emporium admin');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const pager = usePager(q);
  const queryClient = useQueryClient();
  const products = useQuery({
    queryKey: ['admin-products', q, pager.cursor],
    queryFn: () => api<Page<Product>>(`/api/products${query({ q, limit: 25, cursor: pager.cursor })}`),
    placeholderData: keepPreviousData,
  });
  const remove = useMutation({
    mutationFn: (id: number) => api(`/api/products/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin-products'] }),
  });
  return (
    <section>
      <h1>Products</h1>
      <div className="toolbar">
        <form
          role="search"
          className="actions"
          onSubmit={(e) => {
            e.preventDefault();
            const value = String(new FormData(e.currentTarget).get('q')).trim();
            setParams(value ? { q: value } : {});
          }}
        >
          <label htmlFor="product-search">Search products</label>
          <input id="product-search" name="q" type="search" defaultValue={q} />
          <button type="submit">Search</button>
        </form>
        <Link to="/products/new">New product</Link>
      </div>
      {products.isPending && <Loading what="Loading products" />}
      <Problem error={products.error ?? remove.error} />
      {products.data?.items.length === 0 && <Empty>No products found.</Empty>}
      {products.data && products.data.items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Products</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">SKU</th>
              <th scope="col">Price</th>
              <th scope="col">Stock</th>
              <th scope="col">Adjust stock</th>
              <th scope="col">Delete</th>
            </tr>
          </thead>
          <tbody>
            {products.data.items.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/products/${p.id}`}>{p.name}</Link>
                </td>
                <td>{p.sku}</td>
                <td>{formatMoney(p.price)}</td>
                <td>{p.stock_quantity}</td>
                <td>
                  <StockAdjust product={p} />
                </td>
                <td>
                  <ConfirmButton
                    label="Delete"
                    question={`Delete ${p.name}?`}
                    confirmLabel="Yes, delete"
                    busy={remove.isPending && remove.variables === p.id}
                    onConfirm={() => remove.mutate(p.id)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager pager={pager} nextCursor={products.data?.next_cursor} />
    </section>
  );
}

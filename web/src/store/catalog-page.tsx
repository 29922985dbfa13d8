import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSyncExternalStore, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, query, type Page } from '../shared/api.ts';
import { formatMoney } from '../shared/format.ts';
import type { Category, Product } from '../shared/types.ts';
import { Empty, Loading, Pager, Problem, usePager, useTitle } from '../shared/ui.tsx';
import { addToCart } from './cart.ts';

export const PAGE_SIZE = 12;

export function StockState({ stock }: { stock: number }) {
  if (stock <= 0) return <span className="stock out">Out of stock</span>;
  if (stock <= 5) return <span className="stock low">Only {stock} left</span>;
  return <span className="stock in">In stock</span>;
}

const WIDE = window.matchMedia('(min-width: 800px)');
const onWidthChange = (l: () => void) => {
  WIDE.addEventListener('change', l);
  return () => WIDE.removeEventListener('change', l);
};

function Filters({ categories }: { categories: Category[] }) {
  const [params, setParams] = useSearchParams();
  // React sets `open` only when this changes, so the shopper's own toggling is kept until the width class changes.
  const wide = useSyncExternalStore(onWidthChange, () => WIDE.matches);
  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const key of ['q', 'category', 'min_price', 'max_price']) {
      const value = String(form.get(key) ?? '').trim();
      if (value) next.set(key, value);
    }
    if (form.get('in_stock')) next.set('in_stock', 'true');
    setParams(next);
  };
  return (
    // Folded on a phone so the products come first; open on a wide screen.
    <details className="filters" open={wide}>
      <summary>Filter products</summary>
      <form onSubmit={apply} aria-label="Filter products" key={params.toString()}>
        <input type="hidden" name="q" value={params.get('q') ?? ''} />
        <div className="field">
          <label htmlFor="f-category">Category</label>
          <select id="f-category" name="category" defaultValue={params.get('category') ?? ''}>
            <option value="">All categories</option>
            {categories.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name} ({c.product_count})
              </option>
            ))}
          </select>
        </div>
        <div className="row">
          <div className="field">
            <label htmlFor="f-min">Min price</label>
            <input
              id="f-min"
              name="min_price"
              type="number"
              min="0"
              step="0.01"
              inputMode="decimal"
              defaultValue={params.get('min_price') ?? ''}
            />
          </div>
          <div className="field">
            <label htmlFor="f-max">Max price</label>
            <input
              id="f-max"
              name="max_price"
              type="number"
              min="0"
              step="0.01"
              inputMode="decimal"
              defaultValue={params.get('max_price') ?? ''}
            />
          </div>
        </div>
        <div className="check">
          <input id="f-stock" name="in_stock" type="checkbox" defaultChecked={params.get('in_stock') === 'true'} />
          <label htmlFor="f-stock">In stock only</label>
        </div>
        <button type="submit">Apply filters</button>
      </form>
    </details>
  );
}

export function ProductCard({ product }: { product: Product }) {
  const image = product.thumbnail_url ?? product.image_url;
  return (
    <li className="card">
      <Link to={`/products/${product.id}`} className="card-link">
        {image ? <img src={image} alt="" width="240" height="180" loading="lazy" /> : <div className="no-image" />}
        <span className="card-name">{product.name}</span>
      </Link>
      <span className="price">{formatMoney(product.price)}</span>
      <StockState stock={product.stock_quantity} />
      <button
        type="button"
        disabled={product.stock_quantity <= 0}
        onClick={() => addToCart(product)}
        aria-label={`Add to cart: ${product.name}`}
      >
        Add to cart
      </button>
    </li>
  );
}

export function CatalogPage() {
  const [params] = useSearchParams();
  const filters = Object.fromEntries(params.entries());
  const pager = usePager(params.toString());
  const categories = useQuery({
    queryKey: ['categories'],
    queryFn: () => api<{ items: Category[] }>('/api/products/categories'),
    staleTime: 60_000,
  });
  const products = useQuery({
    queryKey: ['products', filters, pager.cursor],
    queryFn: () => api<Page<Product>>(`/api/products${query({ ...filters, limit: PAGE_SIZE, cursor: pager.cursor })}`),
    placeholderData: keepPreviousData,
  });
  const heading = filters['q'] ? `Results for “${filters['q']}”` : (filters['category'] ?? 'All products');
  useTitle(`${heading} · Emporium`);
  return (
    <div className="catalog">
      <aside>
        <Filters categories={categories.data?.items ?? []} />
      </aside>
      <section aria-labelledby="catalog-heading">
        <h1 id="catalog-heading">{heading}</h1>
        {products.isPending && <Loading what="Loading products" />}
        <Problem error={products.error} />
        {products.data && products.data.items.length === 0 && <Empty>No products match. Try fewer filters.</Empty>}
        {products.data && products.data.items.length > 0 && (
          <ul className="grid" aria-busy={products.isFetching}>
            {products.data.items.map((p) => (
              <ProductCard key={p.id} product={p} />
            ))}
          </ul>
        )}
        <Pager pager={pager} nextCursor={products.data?.next_cursor} />
      </section>
    </div>
  );
}

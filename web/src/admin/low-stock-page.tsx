import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, query, type Page } from '../shared/api.ts';
import type { Product } from '../shared/types.ts';
import { Empty, Loading, Problem, useTitle } from '../shared/ui.tsx';
import { StockAdjust } from './products-page.tsx';

// The catalog API has no stock filter, so the console reads the catalog in pages of 100 (bounded) and keeps
// the low ones. Fine for thousands of products; a `max_stock` filter on the products service is the next step.
const MAX_PAGES = 50;

async function lowStock(threshold: number): Promise<{ items: Product[]; complete: boolean }> {
  const items: Product[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res: Page<Product> = await api<Page<Product>>(`/api/products${query({ limit: 100, cursor })}`);
    items.push(...res.items.filter((p) => p.stock_quantity <= threshold));
    cursor = res.next_cursor;
    if (!cursor) return { items, complete: true };
  }
  return { items, complete: false };
}

export function LowStockPage() {
  useTitle('Low stock · Emporium admin');
  const [threshold, setThreshold] = useState(5);
  const low = useQuery({ queryKey: ['admin-products', 'low', threshold], queryFn: () => lowStock(threshold) });
  const items = low.data?.items.toSorted((a, b) => a.stock_quantity - b.stock_quantity);
  return (
    <section>
      <h1>Low stock</h1>
      <div className="toolbar">
        <div className="field small">
          <label htmlFor="threshold">At or below</label>
          <input
            id="threshold"
            type="number"
            min={0}
            value={threshold}
            onChange={(e) => setThreshold(Math.max(0, Number(e.target.value) || 0))}
          />
        </div>
      </div>
      {low.isPending && <Loading what="Reading the catalog" />}
      <Problem error={low.error} />
      {items?.length === 0 && <Empty>Nothing is at or below {threshold}.</Empty>}
      {items && items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Products low on stock</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Stock</th>
              <th scope="col">Adjust stock</th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/products/${p.id}`}>{p.name}</Link>
                </td>
                <td>{p.stock_quantity}</td>
                <td>
                  <StockAdjust product={p} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {low.data && !low.data.complete && <p className="hint">Only the first {MAX_PAGES * 100} products were read.</p>}
    </section>
  );
}

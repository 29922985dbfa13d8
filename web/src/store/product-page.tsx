import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../shared/api.ts';
import { formatMoney } from '../shared/format.ts';
import type { Product } from '../shared/types.ts';
import { Loading, Problem, useTitle } from '../shared/ui.tsx';
import { addToCart, useCart } from './cart.ts';
import { StockState } from './catalog-page.tsx';

export function ProductPage() {
  const { id } = useParams();
  const product = useQuery({ queryKey: ['product', id], queryFn: () => api<Product>(`/api/products/${id}`) });
  const cart = useCart();
  const [quantity, setQuantity] = useState(1);
  const [added, setAdded] = useState(false);
  useTitle(`${product.data?.name ?? 'Product'} · Emporium`);
  if (product.isPending) return <Loading what="Loading the product" />;
  if (product.error) return <Problem error={product.error} />;
  const p = product.data;
  const inCart = cart.find((l) => l.product_id === p.id)?.quantity ?? 0;
  return (
    <article className="product">
      <p>
        <Link to={`/?category=${encodeURIComponent(p.category)}`}>{p.category}</Link>
      </p>
      <div className="product-body">
        {p.image_url ? (
          <img src={p.image_url} alt={p.name} width="480" height="360" />
        ) : (
          <div className="no-image large" />
        )}
        <div>
          <h1>{p.name}</h1>
          <p className="price large">{formatMoney(p.price)}</p>
          <StockState stock={p.stock_quantity} />
          <p>{p.description}</p>
          <p className="muted">SKU {p.sku}</p>
          {p.stock_quantity > 0 && (
            <form
              className="add"
              onSubmit={(e) => {
                e.preventDefault();
                addToCart(p, quantity);
                setAdded(true);
              }}
            >
              <div className="field small">
                <label htmlFor="qty">Quantity</label>
                <input
                  id="qty"
                  type="number"
                  min={1}
                  max={p.stock_quantity}
                  value={quantity}
                  onChange={(e) => setQuantity(Math.max(1, Number(e.target.value) || 1))}
                />
              </div>
              <button type="submit">Add to cart</button>
            </form>
          )}
          <p role="status" className="muted">
            {added && inCart > 0 ? (
              <>
                {inCart} in your cart. <Link to="/cart">View cart</Link>
              </>
            ) : null}
          </p>
        </div>
      </div>
    </article>
  );
}

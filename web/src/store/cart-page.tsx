import { Link, useNavigate } from 'react-router';
import { formatMoney } from '../shared/format.ts';
import { Empty, Loading, Problem, useTitle } from '../shared/ui.tsx';
import { cartTotal, removeFromCart, setQuantity, useCart } from './cart.ts';
import { useCheckedCart } from './cart-check.ts';

export function CartPage() {
  useTitle('Cart · Emporium');
  const cart = useCart();
  const checked = useCheckedCart(cart);
  const navigate = useNavigate();
  if (cart.length === 0) {
    return (
      <section>
        <h1>Your cart</h1>
        <Empty>
          Your cart is empty. <Link to="/">Browse the shop</Link>
        </Empty>
      </section>
    );
  }
  return (
    <section>
      <h1>Your cart</h1>
      {checked.isChecking && <Loading what="Checking stock" />}
      <Problem error={checked.error} />
      <ul className="lines">
        {checked.lines.map((line) => (
          <li key={line.product_id} className="line">
            <Link to={`/products/${line.product_id}`}>{line.name}</Link>
            <span className="price">{formatMoney(line.price)}</span>
            <div className="field small">
              <label htmlFor={`qty-${line.product_id}`}>Quantity</label>
              <input
                id={`qty-${line.product_id}`}
                type="number"
                min={1}
                max={1000}
                value={line.quantity}
                aria-invalid={line.problem ? true : undefined}
                aria-describedby={line.problem ? `problem-${line.product_id}` : undefined}
                onChange={(e) => setQuantity(line.product_id, Math.floor(Number(e.target.value)) || 1)}
              />
            </div>
            <button
              type="button"
              className="secondary"
              onClick={() => removeFromCart(line.product_id)}
              aria-label={`Remove: ${line.name}`}
            >
              Remove
            </button>
            {line.problem && (
              <p className="field-error" id={`problem-${line.product_id}`}>
                {line.problem}
              </p>
            )}
          </li>
        ))}
      </ul>
      <p className="total">
        Total <strong>{formatMoney(cartTotal(checked.lines))}</strong>
      </p>
      <button type="button" disabled={!checked.isOk} onClick={() => navigate('/checkout')}>
        Check out
      </button>
      {!checked.isOk && !checked.isChecking && <p className="hint">Fix the lines marked above to check out.</p>}
    </section>
  );
}

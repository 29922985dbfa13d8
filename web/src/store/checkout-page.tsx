import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, ApiError } from '../shared/api.ts';
import { formatMoney } from '../shared/format.ts';
import type { Order } from '../shared/types.ts';
import { Field, fieldError, Loading, messageOf, Problem, SelectField, useTitle } from '../shared/ui.tsx';
import { cartTotal, clearCart, useCart } from './cart.ts';
import { useCheckedCart } from './cart-check.ts';

const COUNTRIES: Array<[string, string]> = [
  ['US', 'United States'],
  ['GB', 'United Kingdom'],
  ['CA', 'Canada'],
  ['DE', 'Germany'],
  ['FR', 'France'],
  ['IE', 'Ireland'],
  ['NL', 'Netherlands'],
  ['ES', 'Spain'],
  ['IT', 'Italy'],
  ['CH', 'Switzerland'],
  ['SE', 'Sweden'],
  ['AU', 'Australia'],
  ['JP', 'Japan'],
];

// Stripe's test payment methods, which both payment providers honour.
const METHODS = [
  ['pm_card_visa', 'Test Visa card (succeeds)'],
  ['pm_card_chargeDeclined', 'Test card that is declined'],
] as const;

/** A fresh key for each checkout attempt; getRandomValues works where randomUUID (secure contexts only) does not. */
const newKey = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

function explain(err: unknown): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  if (err.status === 402)
    return 'Your card was declined. No order was placed and nothing was charged. Try another payment method.';
  if (err.code === 'insufficient_stock') return 'Some items no longer have enough stock. Your cart shows what is left.';
  return undefined;
}

export function CheckoutPage() {
  useTitle('Checkout · Emporium');
  const cart = useCart();
  const checked = useCheckedCart(cart);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // One key per attempt: a double click or a retry of the same attempt can never make a second order.
  const [attemptKey, setAttemptKey] = useState(newKey);
  const place = useMutation({
    mutationFn: (body: unknown) =>
      api<Order>('/api/orders', { method: 'POST', body, headers: { 'idempotency-key': attemptKey } }),
    onSuccess: (order) => {
      clearCart();
      void queryClient.invalidateQueries({ queryKey: ['orders'] });
      navigate(`/orders/${order.id}/confirmation`, { replace: true });
    },
    onError: (err) => {
      // The same key would replay this answer; the next press is a new attempt.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) setAttemptKey(newKey());
    },
  });
  if (cart.length === 0 && !place.isSuccess) {
    return (
      <section>
        <h1>Checkout</h1>
        <p>
          Your cart is empty. <Link to="/">Browse the shop</Link>
        </p>
      </section>
    );
  }
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (place.isPending) return;
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const optional = (name: string) => text(name) || undefined;
    place.mutate({
      items: cart.map((l) => ({ product_id: l.product_id, quantity: l.quantity })),
      shipping_address: {
        line1: text('line1'),
        line2: optional('line2'),
        city: text('city'),
        region: optional('region'),
        postal_code: optional('postal_code'),
        country: text('country'),
      },
      payment_method: text('payment_method'),
    });
  };
  const err = place.error;
  const at = (name: string) => fieldError(err, `shipping_address.${name}`);
  return (
    <section className="checkout">
      <h1>Checkout</h1>
      <div className="checkout-body">
        <form onSubmit={submit} onChange={() => place.isError && setAttemptKey(newKey())} className="form" noValidate>
          <fieldset>
            <legend>Shipping address</legend>
            <Field label="Address line 1" name="line1" autoComplete="address-line1" required error={at('line1')} />
            <Field label="Address line 2 (optional)" name="line2" autoComplete="address-line2" error={at('line2')} />
            <Field label="City" name="city" autoComplete="address-level2" required error={at('city')} />
            <Field label="Region (optional)" name="region" autoComplete="address-level1" error={at('region')} />
            <Field
              label="Postal code (optional)"
              name="postal_code"
              autoComplete="postal-code"
              error={at('postal_code')}
            />
            <SelectField label="Country" name="country" autoComplete="country" defaultValue="US" error={at('country')}>
              {COUNTRIES.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </SelectField>
          </fieldset>
          <fieldset>
            <legend>Payment</legend>
            {METHODS.map(([value, label], i) => (
              <div className="check" key={value}>
                <input type="radio" id={`pm-${value}`} name="payment_method" value={value} defaultChecked={i === 0} />
                <label htmlFor={`pm-${value}`}>{label}</label>
              </div>
            ))}
            {fieldError(err, 'payment_method') && (
              <p className="field-error">Payment method {fieldError(err, 'payment_method')}</p>
            )}
          </fieldset>
          {err && (
            <p className="problem" role="alert">
              {explain(err) ?? messageOf(err)}
            </p>
          )}
          <button type="submit" className="primary" disabled={place.isPending || !checked.isOk}>
            {place.isPending ? 'Placing order…' : 'Place order'}
          </button>
          {!checked.isOk && !checked.isChecking && (
            <p className="hint">
              Some items are not available as asked. <Link to="/cart">Review your cart</Link>
            </p>
          )}
        </form>
        <aside className="summary" aria-labelledby="summary-heading">
          <h2 id="summary-heading">Your order</h2>
          {checked.isChecking && <Loading what="Checking stock" />}
          <Problem error={checked.error} />
          <ul>
            {checked.lines.map((l) => (
              <li key={l.product_id}>
                {l.quantity} × {l.name}{' '}
                <span className="price">{formatMoney((Math.round(l.price * 100) * l.quantity) / 100)}</span>
              </li>
            ))}
          </ul>
          <p className="total">
            Total <strong>{formatMoney(cartTotal(checked.lines))}</strong>
          </p>
        </aside>
      </div>
    </section>
  );
}

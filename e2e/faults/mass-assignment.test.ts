import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testBrokers } from '@emporium/messaging/testing';
import { address } from '../checkout/shop.ts';
import { declaredFields, fill, key, operations } from './openapi.ts';
import { startSweepShop, type SweepShop } from './sweep-shop.ts';

// Fault 14 of docs/reliability.md: every write route of the API document, sent fields it does not accept (the
// ones an attacker would try), refuses them with 400 naming each one; a field a route does accept but the caller
// may not set (a customer's own role, an order's status, a price) is refused; and nothing changes either way.
const skip = testBrokers().length ? false : 'no Kafka broker (run with npm test)';
let s: SweepShop;
before(async () => {
  if (!skip) s = await startSweepShop();
});
after(async () => {
  if (!skip) await s.close();
});

const EXTRAS: Record<string, unknown> = {
  role: 'admin',
  user_id: 999_999,
  status: 'delivered',
  total_amount: 0.01,
  price: 0.01,
  id: 999_999,
  created_at: '2000-01-01T00:00:00Z',
  stock: 1_000_000,
  stock_quantity: 1_000_000,
  is_admin: true,
};

// SPEC: fields a client may not set on a new order are ignored (only items, address and method are read).
const IGNORES = new Set(['POST /api/orders']);

test(
  'every write route refuses fields it does not take, and a customer cannot set what only an admin may',
  { skip },
  async (t) => {
    const customer = await s.login('mass_customer');
    const product = await s.product(50, 20);
    const spare = await s.product(50, 20); // what the order route's checks buy, so the product above stays as it is
    const placed = await s.call(
      'POST',
      '/api/orders',
      { items: [{ product_id: product.id, quantity: 1 }], shipping_address: address },
      customer.auth,
    );
    assert.equal(placed.status, 201);
    const order = placed.json as { id: number; payment_id: number };
    const ids: Record<string, number> = { id: customer.id };
    // A valid body per write route, and the ids in its path: the customer's own things. A new route fails below.
    const writes: Record<string, { body: Record<string, unknown>; path?: Record<string, number> }> = {
      'POST /api/users/register': {
        body: { username: 'mass_new', email: 'mass_new@example.com', password: 'long-password' },
      },
      'POST /api/users/login': { body: { username: 'mass_customer', password: 'a-good-password' } },
      'POST /api/users/refresh': { body: { refresh_token: 'not-a-token' } },
      'POST /api/users/logout': { body: { refresh_token: 'not-a-token' } },
      'POST /api/users/password-reset': { body: { email: 'mass_customer@example.com' } },
      'POST /api/users/password-reset/confirm': { body: { token: 'not-a-token', new_password: 'long-password' } },
      'PUT /api/users/{id}': { body: { full_name: 'Mass' }, path: ids },
      'PUT /api/users/{id}/notification-settings': { body: { promotional: true }, path: ids },
      'POST /api/users/{id}/push-tokens': { body: { token: 'mass-device-token', platform: 'web' }, path: ids },
      'POST /api/products': { body: { name: 'Mass', price: 1, category: 'Mass', sku: 'MASS-1' } },
      'PUT /api/products/{id}': { body: { name: 'Mass' }, path: { id: product.id } },
      'PATCH /api/products/{id}/stock': { body: { delta: 1 }, path: { id: product.id } },
      'POST /api/products/{id}/image-upload': {
        body: { content_type: 'image/png', content_length: 1000 },
        path: { id: product.id },
      },
      'POST /api/orders': { body: { items: [{ product_id: spare.id, quantity: 1 }], shipping_address: address } },
      'PATCH /api/orders/{id}/status': { body: { status: 'shipped' }, path: { id: order.id } },
      'POST /api/payments/process': {
        body: {
          order_id: order.id,
          amount: 20,
          order: { user_id: customer.id, total_amount: 20, region: 'GB', items: [] },
        },
      },
      'POST /api/payments/refund': { body: { payment_id: order.payment_id } },
      'POST /api/notifications/send': { body: { channel: 'email', to: 'mass@example.com', body: 'Hello' } },
    };
    const snapshot = async () => ({
      me: (await s.call('GET', '/api/users/me', undefined, customer.auth)).json,
      settings: (await s.call('GET', `/api/users/${customer.id}/notification-settings`, undefined, customer.auth)).json,
      order: (await s.call('GET', `/api/orders/${order.id}`, undefined, customer.auth)).json,
      payment: (await s.call('GET', `/api/payments/${order.payment_id}`, undefined, customer.auth)).json,
      product: (await s.call('GET', `/api/products/${product.id}`)).json,
      products: (await s.call('GET', '/api/products?category=Mass')).json,
      deliveries: (await s.call('GET', '/api/notifications/deliveries', undefined, s.admin)).json,
    });
    const before = await snapshot();

    const checked: string[] = [];
    for (const op of (await operations(s)).filter((o) => o.body)) {
      const write = writes[key(op)];
      assert.ok(write, `${key(op)} is new: give it a valid body in writes`);
      const path = fill(op.path, write.path ?? {});
      const accepted = declaredFields(op.body!);
      const extras = Object.fromEntries(Object.entries(EXTRAS).filter(([f]) => !accepted.has(f)));
      // Unknown fields: a 400 that names each of them, for the customer and for an admin alike; or, where the
      // contract says they are ignored (placing an order: prices and totals come from the catalog), not applied.
      for (const caller of [customer.auth, s.admin]) {
        const res = await s.call(op.method, path, { ...write.body, ...extras }, caller);
        if (IGNORES.has(key(op)) && res.status < 300) {
          for (const [field, value] of Object.entries(extras))
            assert.notDeepEqual(res.json[field], value, `${key(op)}: ${field} was applied`);
          continue;
        }
        assert.equal(res.status, 400, `${key(op)} with ${Object.keys(extras)}: ${JSON.stringify(res.json)}`);
        const named = new Set((res.json.errors as { field: string }[]).map((e) => e.field));
        for (const field of Object.keys(extras))
          assert.ok(named.has(field), `${key(op)}: ${field} not named as refused`);
      }
      // Fields the route takes that a customer must not set: refused, not applied.
      const privileged = Object.keys(EXTRAS).filter((f) => accepted.has(f));
      for (const field of privileged) {
        const res = await s.call(op.method, path, { ...write.body, [field]: EXTRAS[field] }, customer.auth);
        assert.ok(res.status >= 400 && res.status < 500, `${key(op)} set ${field} as a customer: ${res.status}`);
      }
      const refusals = privileged.length ? `; ${privileged} refused to a customer` : '';
      const how = IGNORES.has(key(op)) ? 'ignored' : 'refused';
      checked.push(`${key(op)} (${Object.keys(extras).length} unknown ${how}${refusals})`);
    }
    t.diagnostic(`${checked.length} write routes: ${checked.join('; ')}`);
    assert.ok(checked.length >= 10, 'the document lists the write routes');

    const after = await snapshot();
    assert.deepEqual(after, before, 'nothing changed');
    assert.deepEqual([after.me.role, after.order.status, after.order.total_amount], ['customer', 'processing', 20]);
    // Nobody was registered with the extra fields.
    const login = await s.call('POST', '/api/users/login', { username: 'mass_new', password: 'long-password' });
    assert.equal(login.status, 401);
  },
);

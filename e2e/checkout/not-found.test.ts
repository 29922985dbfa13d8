import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testBrokers } from '@emporium/messaging/testing';
import { address, startShop, type Shop } from './shop.ts';

// Someone else's order, payment or account must look exactly like one that does not exist: the same
// status, code, title, detail and members, so probing ids through the gateway tells an attacker nothing.
const skip = testBrokers().length ? false : 'no Kafka broker (run with npm test)';
let s: Shop;
before(async () => {
  if (!skip) s = await startShop();
});
after(async () => {
  if (!skip) await s.close();
});

/** The body with `instance` (the request path, which necessarily differs) checked and set aside. */
async function notFound(method: string, path: string, auth: Record<string, string>, body?: unknown) {
  const res = await s.call(method, path, body, auth);
  assert.equal(res.status, 404, `${method} ${path} answered ${res.status}`);
  assert.equal(res.json.instance, path);
  return { ...res.json, instance: undefined };
}

test("another user's order, payment or account answers exactly like a missing one", { skip }, async () => {
  const owner = await s.login('nf_owner');
  const prober = await s.login('nf_prober');
  const product = await s.product(5);
  const cart = { items: [{ product_id: product.id, quantity: 1 }], shipping_address: address };
  const placed = await s.call('POST', '/api/orders', cart, owner.auth);
  assert.equal(placed.status, 201);
  const { id: orderId, payment_id: paymentId } = placed.json;
  const missing = 2_000_000_000;

  const pairs: Array<[string, string, string]> = [
    ['GET', `/api/orders/${orderId}`, `/api/orders/${missing}`],
    ['DELETE', `/api/orders/${orderId}`, `/api/orders/${missing}`],
    ['GET', `/api/payments/${paymentId}`, `/api/payments/${missing}`],
    ['GET', `/api/payments/order/${orderId}`, `/api/payments/order/${missing}`],
    ['GET', `/api/orders/user/${owner.id}`, `/api/orders/user/${missing}`],
    ['GET', `/api/users/${owner.id}`, `/api/users/${missing}`],
    ['PUT', `/api/users/${owner.id}`, `/api/users/${missing}`],
    ['DELETE', `/api/users/${owner.id}`, `/api/users/${missing}`],
  ];
  for (const [method, theirs, nobodys] of pairs) {
    const body = method === 'PUT' ? { full_name: 'probe' } : undefined;
    const yours = await notFound(method, theirs, prober.auth, body);
    const none = await notFound(method, nobodys, prober.auth, body);
    assert.deepEqual(yours, none, `${method} ${theirs} vs ${nobodys}`);
    assert.match(yours.code, /^(order|payment|user)_not_found$/);
  }

  // The owner still sees everything, and nothing the prober tried changed it.
  const order = await s.call('GET', `/api/orders/${orderId}`, undefined, owner.auth);
  assert.deepEqual([order.status, order.json.status], [200, 'processing']);
  assert.equal((await s.call('GET', `/api/payments/${paymentId}`, undefined, owner.auth)).status, 200);
  assert.equal((await s.call('GET', `/api/users/${owner.id}`, undefined, owner.auth)).json.full_name, null);
});

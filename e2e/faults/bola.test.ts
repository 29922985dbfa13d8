import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testBrokers } from '@emporium/messaging/testing';
import { createDeliveryRepository } from '../../services/notifications/src/deliveries/delivery-repository.ts';
import { address } from '../checkout/shop.ts';
import { fill, hasPathParams, key, operations } from './openapi.ts';
import { startSweepShop, type SweepShop } from './sweep-shop.ts';

// Fault 13 of docs/reliability.md: every route of the API document that takes an id in its path, asked by one
// customer for another's resource, answers exactly as for a resource that does not exist, and changes nothing.
const skip = testBrokers().length ? false : 'no Kafka broker (run with npm test)';
let s: SweepShop;
before(async () => {
  if (!skip) s = await startSweepShop();
});
after(async () => {
  if (!skip) await s.close();
});

const MISSING = 2_000_000_000;
// The catalog belongs to nobody: reading a product is public, so an existing one rightly differs from a missing one.
const PUBLIC_READS = new Set([
  'GET /api/products/{id}',
  'GET /api/products/sku/{sku}',
  'GET /api/products/images/{file}',
]);
// A valid body for each write with an id, so the request gets as far as the ownership check.
const BODIES: Record<string, unknown> = {
  'PUT /api/users/{id}': { full_name: 'Probe' },
  'PUT /api/products/{id}': { price: 0.01 },
  'PATCH /api/products/{id}/stock': { stock_quantity: 0 },
  'POST /api/products/{id}/image-upload': { content_type: 'image/png', content_length: 1000 },
  'PATCH /api/orders/{id}/status': { status: 'delivered' },
  'PUT /api/users/{id}/notification-settings': { promotional: true },
  'POST /api/users/{id}/push-tokens': { token: 'probe-device-token-1', platform: 'android' },
};
const DEVICE = 'owner-device-token-1';
const WINDOW = '2026-01-01T10:00:00.000Z';

test("every route with an id: another customer's resource answers exactly like a missing one", { skip }, async (t) => {
  const owner = await s.login('bola_owner');
  const prober = await s.login('bola_prober');
  const product = await s.product(5, 9.5);
  const cart = { items: [{ product_id: product.id, quantity: 2 }], shipping_address: address };
  const placed = await s.call('POST', '/api/orders', cart, owner.auth);
  assert.equal(placed.status, 201);
  const order = placed.json as { id: number; payment_id: number };
  // The owner's message in the delivery log (the shop runs no consumer to write it from the order's events).
  await createDeliveryRepository(s.notificationsPool).insert([
    {
      eventId: '6f0b7c52-9a57-4f43-8a43-7d3c2a1e0b01',
      sourceTopic: 'orders',
      event: { order_id: order.id },
      type: 'order_confirmation',
      channel: 'email',
      recipient: 'bola_owner@example.com',
      userId: owner.id,
      subject: `Order #${order.id} confirmed`,
      text: 'Thank you',
      html: null,
    },
  ]);
  const [delivery] = (await s.call('GET', '/api/notifications/deliveries', undefined, s.admin)).json.items;
  // What each path parameter names, per route family (first match): the owner's resource. A new family fails below.
  const ids: Array<[string, Record<string, number | string>]> = [
    ['/api/orders/user/', { userId: owner.id }],
    ['/api/users/', { id: owner.id, token: DEVICE }],
    ['/api/orders/', { id: order.id }],
    ['/api/payments/order/', { orderId: order.id }],
    ['/api/payments/', { id: order.payment_id }],
    ['/api/products/', { id: product.id }],
    // Admin-only: the delivery log (a customer reads their own messages at /api/notifications, no id)...
    ['/api/notifications/deliveries/', { id: delivery.id }],
    // ...and two kinds of id that name nobody's resource, so for them "missing" is the same request: a
    // template type (a fixed list) and an analytics window (the whole shop's sales). Both refused alike.
    ['/api/notifications/templates/', { type: 'order_confirmation' }],
    ['/api/analytics/windows/', { windowStart: WINDOW }],
  ];
  const theirs = (path: string) => ids.find(([prefix]) => path.startsWith(prefix))?.[1] ?? {};
  const missing = {
    id: MISSING,
    userId: MISSING,
    orderId: MISSING,
    token: DEVICE,
    type: 'order_confirmation',
    windowStart: WINDOW,
  };
  const snapshot = async () => ({
    order: (await s.call('GET', `/api/orders/${order.id}`, undefined, owner.auth)).json,
    payment: (await s.call('GET', `/api/payments/${order.payment_id}`, undefined, owner.auth)).json,
    user: (await s.call('GET', `/api/users/${owner.id}`, undefined, owner.auth)).json,
    settings: (await s.call('GET', `/api/users/${owner.id}/notification-settings`, undefined, owner.auth)).json,
    product: (await s.call('GET', `/api/products/${product.id}`)).json,
    deliveries: (await s.call('GET', '/api/notifications/deliveries', undefined, s.admin)).json,
  });
  const device = { token: DEVICE, platform: 'ios' };
  assert.equal((await s.call('POST', `/api/users/${owner.id}/push-tokens`, device, owner.auth)).status, 201);
  const before = await snapshot();

  const swept: string[] = [];
  for (const op of (await operations(s)).filter(hasPathParams)) {
    if (PUBLIC_READS.has(key(op))) continue;
    const values = theirs(op.path);
    const body = op.body ? BODIES[key(op)] : undefined;
    assert.ok(!op.body || body, `${key(op)} is new: give it a valid body in BODIES`);
    let theirPath: string;
    try {
      theirPath = fill(op.path, values);
    } catch {
      assert.fail(`${key(op)} is new: say whose resource its id names (theirs) or list it in PUBLIC_READS`);
    }
    const a = await s.call(op.method, theirPath, body, prober.auth);
    const b = await s.call(op.method, fill(op.path, missing), body, prober.auth);
    assert.ok(a.status >= 400, `${op.method} ${theirPath} answered ${a.status} to another customer`);
    assert.deepEqual(
      [a.status, { ...a.json, instance: undefined }],
      [b.status, { ...b.json, instance: undefined }],
      `${key(op)}: another customer's resource vs a missing one`,
    );
    swept.push(`${key(op)} → ${a.status} ${a.json.code}`);
  }
  t.diagnostic(`${swept.length} routes swept: ${swept.join('; ')}`);
  assert.ok(swept.length >= 10, 'the document lists the routes with ids');
  // Nothing the prober tried changed anything (the admin-only writes included).
  assert.deepEqual(await snapshot(), before);
  assert.equal(before.order.status, 'processing');
});

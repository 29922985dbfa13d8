import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import { order, startPayments, type Payments } from './helpers.ts';

// Stripe's webhook on the real PostgreSQL. Signatures are checked locally (no Stripe API involved); the
// simulated provider stands in for Stripe's ledger: a charge it recorded but whose answer was lost is the
// payment a `payment_intent.succeeded` event settles.
const secret = 'whsec_test_secret';
const stripe = new Stripe('sk_test_123');
let p: Payments;
const lost = new Set<number>();
before(async () => {
  p = await startPayments({ loseAnswer: (r) => lost.has(r.orderId) }, { STRIPE_WEBHOOK_SECRET: secret }, { stripe });
});
after(() => p.close());

const now = () => Math.floor(Date.now() / 1000);
const eventFor = (id: string, orderId: number, type = 'payment_intent.succeeded') =>
  JSON.stringify({
    id,
    object: 'event',
    type,
    data: { object: { id: `pi_${orderId}`, object: 'payment_intent', metadata: { order_id: String(orderId) } } },
  });
const deliver = (payload: string, signature = stripe.webhooks.generateTestHeaderString({ payload, secret })) =>
  p.app.inject({
    method: 'POST',
    url: '/api/payments/webhooks/stripe',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    payload,
  });
/** Everything a webhook could change: the payment, the provider's ledger and the events waiting to go out. */
const books = async (orderId: number) => ({
  payment: (await p.pool.query('SELECT status, amount, updated_at FROM payments WHERE order_id = $1', [orderId])).rows,
  charges: (
    await p.pool.query("SELECT status FROM simulated_charges WHERE idempotency_key = 'emporium-order-' || $1", [
      orderId,
    ])
  ).rows,
  events: (await p.pool.query('SELECT event_type FROM outbox WHERE message_key = $1 ORDER BY id', [String(orderId)]))
    .rows,
});
/** A payment the provider charged but whose answer never came back: pending here, waiting for the webhook. */
async function pendingPayment(orderId: number) {
  lost.add(orderId);
  const res = await p.app.inject({
    method: 'POST',
    url: '/internal/payments/process',
    payload: order(orderId),
    headers: await p.asOrders(),
  });
  assert.equal(res.json().code, 'payment_outcome_unknown');
  lost.delete(orderId);
}

test('the webhook accepts only correctly signed bodies', async () => {
  const payload = eventFor('evt_signed', 9_999, 'customer.created');
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
  assert.equal((await deliver(payload, header)).statusCode, 200);
  assert.equal((await deliver(payload.replace('9999', '9998'), header)).statusCode, 400, 'a tampered body');
  const other = stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_other' });
  assert.equal((await deliver(payload, other)).statusCode, 400, 'another secret');
  assert.equal((await deliver(payload, 'garbage')).statusCode, 400);
});

test('a validly signed webhook signed longer ago than the tolerance is refused and changes nothing', async () => {
  await pendingPayment(2001);
  const before = await books(2001);
  const payload = eventFor('evt_old', 2001);
  const old = stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: now() - 301 });
  const res = await deliver(payload, old);
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().code, 'invalid_signature');
  assert.deepEqual(await books(2001), before);
  assert.equal(before.payment[0].status, 'pending');
  // Just inside the tolerance it is accepted: the same event, signed 4 minutes ago, settles the payment.
  const recent = stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: now() - 240 });
  assert.deepEqual(
    [(await deliver(payload, recent)).statusCode, (await books(2001)).payment[0].status],
    [200, 'succeeded'],
  );
});

test('the same event delivered twice settles once; the second delivery is a 200 that changes nothing', async () => {
  await pendingPayment(2002);
  const payload = eventFor('evt_twice', 2002);
  const captured = stripe.webhooks.generateTestHeaderString({ payload, secret });
  const first = await deliver(payload, captured);
  assert.deepEqual([first.statusCode, first.json()], [200, { received: true }]);
  const settled = await books(2002);
  assert.deepEqual(settled.payment[0].status, 'succeeded');
  assert.deepEqual(settled.charges, [{ status: 'succeeded' }]);
  assert.deepEqual(settled.events, [{ event_type: 'payment_succeeded' }]);

  // Stripe's own retry (signed anew) and a captured copy sent again within the tolerance: the same event id.
  for (const again of [await deliver(payload), await deliver(payload, captured)]) {
    assert.deepEqual([again.statusCode, again.json()], [200, { received: true, duplicate: true }]);
  }
  assert.deepEqual(await books(2002), settled);
  const handled = await p.pool.query("SELECT type FROM stripe_events WHERE event_id = 'evt_twice'");
  assert.deepEqual(handled.rows, [{ type: 'payment_intent.succeeded' }]);
});

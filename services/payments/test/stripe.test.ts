import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPool, createTokenVerifier } from '@emporium/kit';
import { captureLogs, jwksOf, newServiceKeys, newSigningKey } from '@emporium/kit/testing';
import Stripe from 'stripe';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { createStripeProvider } from '../src/providers/stripe-provider.ts';

// The Stripe provider against stripe-mock: every request must be one Stripe's API accepts. stripe-mock
// is stateless (every intent comes back `requires_payment_method`, declines look like successes), so
// outcomes are checked with the simulated provider; this checks the wiring and the mapping.
const url = process.env['EMPORIUM_TEST_STRIPE_URL'];
const skip = url ? false : 'go is not installed, so there is no stripe-mock';

test('charges, look-ups and refunds are requests the Stripe API accepts', { skip }, async () => {
  const provider = createStripeProvider({ secretKey: 'sk_test_123', apiBase: url, timeoutMs: 5_000 });
  const request = {
    idempotencyKey: 'emporium-order-1',
    amountCents: 5998,
    currency: 'usd',
    paymentMethod: 'pm_card_visa',
    orderId: 1,
  };
  const outcome = await provider.charge(request);
  // The mock's fixed status is requires_payment_method, which the provider rightly treats as declined.
  assert.deepEqual(outcome, { status: 'declined', failureCode: 'requires_payment_method' });
  // Asking about the charge finds the intent stripe-mock returns and maps it the same way as a charge.
  assert.deepEqual(await provider.find(request), { status: 'declined', failureCode: 'requires_payment_method' });
  const refund = await provider.refund({
    idempotencyKey: 'emporium-refund-1',
    chargeKey: request.idempotencyKey,
    transactionId: 'pi_123',
    amountCents: 100,
  });
  assert.match(refund.refundId, /^re_/);
});

test('an unreachable Stripe is an unknown outcome, not a decline', async () => {
  const provider = createStripeProvider({ secretKey: 'sk_test_123', apiBase: 'http://127.0.0.1:1', timeoutMs: 1_000 });
  await assert.rejects(
    provider.charge({
      idempotencyKey: 'k',
      amountCents: 100,
      currency: 'usd',
      paymentMethod: 'pm_card_visa',
      orderId: 2,
    }),
    { name: 'ProviderUnavailableError' },
  );
});

test('the webhook accepts only correctly signed bodies', async () => {
  const secret = 'whsec_test_secret';
  const stripe = new Stripe('sk_test_123');
  const pool = createPool('postgres://nobody@127.0.0.1:1/none', 1);
  const key = newSigningKey();
  const trusted = (await newServiceKeys(['orders'])).trustedKeys;
  const config = readConfig({
    DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    PAYMENT_PROVIDER: 'stripe',
    STRIPE_SECRET_KEY: 'sk_test_123',
    STRIPE_WEBHOOK_SECRET: secret,
    SERVICE_TRUSTED_KEYS: trusted,
    LOG_LEVEL: 'fatal',
  });
  const provider = createStripeProvider({ secretKey: 'sk_test_123', timeoutMs: 1_000 });
  const app = await buildApp(config, {
    pool,
    provider,
    stripe,
    verify: createTokenVerifier({ jwks: await jwksOf(key.privateKey) }),
    logStream: captureLogs().stream,
  });
  try {
    // An event type the service ignores, so the check needs no database.
    const payload = JSON.stringify({
      id: 'evt_1',
      object: 'event',
      type: 'customer.created',
      data: { object: { id: 'cus_1', object: 'customer' } },
    });
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
    const post = (body: string, signature: string) =>
      app.inject({
        method: 'POST',
        url: '/api/payments/webhooks/stripe',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        payload: body,
      });
    assert.equal((await post(payload, header)).statusCode, 200);
    assert.equal((await post(payload.replace('cus_1', 'cus_2'), header)).statusCode, 400, 'a tampered body');
    assert.equal(
      (await post(payload, stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_other' }))).statusCode,
      400,
      'another secret',
    );
    assert.equal((await post(payload, 'garbage')).statusCode, 400);
  } finally {
    await app.close();
    await pool.end();
  }
});

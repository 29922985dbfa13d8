import assert from 'node:assert/strict';
import { test } from 'node:test';
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

import type { FastifyInstance } from 'fastify';
import { DomainError } from '@emporium/kit';
import type Stripe from 'stripe';
import type { PaymentService } from './payment-service.ts';

/**
 * Stripe's webhook: the signature is checked on the raw body (re-serialised JSON would not match), then a
 * payment intent that finished after our call gave up settles its pending payment. Duplicates are
 * harmless: settling is a no-op once a payment is no longer pending.
 */
export async function webhookRoutes(
  app: FastifyInstance,
  payments: PaymentService,
  stripe: Stripe | undefined,
  secret: string | undefined,
): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.post('/api/payments/webhooks/stripe', { schema: { tags: ['payments'], hide: true } }, async (req, reply) => {
      if (!stripe || !secret)
        throw new DomainError('webhook_disabled', 'not_found', 'Stripe webhooks are not configured.');
      const signature = req.headers['stripe-signature'];
      let event: Stripe.Event;
      try {
        if (typeof signature !== 'string' || !Buffer.isBuffer(req.body)) throw new Error('missing signature or body');
        event = stripe.webhooks.constructEvent(req.body, signature, secret);
      } catch {
        throw new DomainError('invalid_signature', 'validation', 'The webhook signature does not match.');
      }
      if (event.type === 'payment_intent.succeeded' || event.type === 'payment_intent.payment_failed') {
        const intent = event.data.object;
        const orderId = Number(intent.metadata?.['order_id']);
        if (Number.isSafeInteger(orderId) && orderId > 0) await payments.settleFromProvider(orderId);
      }
      return reply.status(200).send({ received: true });
    });
  });
}

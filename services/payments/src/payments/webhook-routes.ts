import type { FastifyInstance } from 'fastify';
import { DomainError } from '@emporium/kit';
import type Stripe from 'stripe';
import { verifyWebhook } from '../providers/stripe-provider.ts';
import type { PaymentService } from './payment-service.ts';
import type { WebhookRepository } from './webhook-repository.ts';

/**
 * Stripe's webhook: the signature is checked on the raw body (re-serialised JSON would not match) and must be
 * recent, then a payment intent that finished after our call gave up settles its pending payment. An event id
 * handled before is answered 200 with `duplicate: true` and changes nothing, so Stripe stops sending it. It is
 * recorded only once handled: a failure answers 5xx and Stripe delivers it again (settling is idempotent, so
 * two copies arriving at once are harmless too).
 */
export async function webhookRoutes(
  app: FastifyInstance,
  payments: PaymentService,
  events: WebhookRepository,
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
        event = verifyWebhook(stripe, req.body, signature, secret);
      } catch {
        const detail = 'The webhook signature does not match, or it was signed too long ago.';
        throw new DomainError('invalid_signature', 'validation', detail);
      }
      if (await events.isHandled(event.id)) return reply.status(200).send({ received: true, duplicate: true });
      if (event.type === 'payment_intent.succeeded' || event.type === 'payment_intent.payment_failed') {
        const intent = event.data.object;
        const orderId = Number(intent.metadata?.['order_id']);
        if (Number.isSafeInteger(orderId) && orderId > 0) await payments.settleFromProvider(orderId);
      }
      await events.markHandled(event.id, event.type);
      return reply.status(200).send({ received: true });
    });
  });
}

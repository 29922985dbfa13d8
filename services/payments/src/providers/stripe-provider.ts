import Stripe from 'stripe';
import { ProviderUnavailableError, type ChargeOutcome, type PaymentProvider } from './provider.ts';

export interface StripeProviderOptions {
  secretKey: string;
  /** e.g. http://127.0.0.1:12111 for stripe-mock; unset means Stripe itself. */
  apiBase?: string | undefined;
  timeoutMs: number;
}

function clientOf(options: StripeProviderOptions): Stripe {
  const base = options.apiBase ? new URL(options.apiBase) : undefined;
  return new Stripe(options.secretKey, {
    timeout: options.timeoutMs,
    // Our own caller decides about repeating: a repeat always carries the same idempotency key.
    maxNetworkRetries: 0,
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}

/** Stripe PaymentIntents, confirmed at once; idempotency keys make every retry the same request. */
export function createStripeProvider(options: StripeProviderOptions): PaymentProvider & { client: Stripe } {
  const stripe = clientOf(options);
  const unknown = (err: unknown) =>
    err instanceof Stripe.errors.StripeConnectionError ||
    err instanceof Stripe.errors.StripeAPIError ||
    err instanceof Stripe.errors.StripeRateLimitError;

  return {
    name: 'stripe',
    client: stripe,
    async charge(request): Promise<ChargeOutcome> {
      try {
        const intent = await stripe.paymentIntents.create(
          {
            amount: request.amountCents,
            currency: request.currency,
            payment_method: request.paymentMethod,
            confirm: true,
            automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
            metadata: { order_id: String(request.orderId) },
          },
          { idempotencyKey: request.idempotencyKey },
        );
        if (intent.status === 'succeeded') return { status: 'succeeded', transactionId: intent.id };
        if (intent.status === 'processing' || intent.status === 'requires_capture') {
          throw new ProviderUnavailableError(`stripe: payment intent ${intent.id} is ${intent.status}`);
        }
        return {
          status: 'declined',
          failureCode: intent.last_payment_error?.decline_code ?? intent.last_payment_error?.code ?? intent.status,
        };
      } catch (err) {
        if (err instanceof ProviderUnavailableError) throw err;
        if (err instanceof Stripe.errors.StripeCardError)
          return { status: 'declined', failureCode: err.decline_code ?? err.code ?? 'card_declined' };
        if (unknown(err)) throw new ProviderUnavailableError(`stripe: ${(err as Error).message}`, { cause: err });
        throw err;
      }
    },
    async find(request) {
      try {
        const found = await stripe.paymentIntents.search({
          query: `metadata['order_id']:'${request.orderId}'`,
          limit: 10,
        });
        const intent = found.data.find((i) => i.status === 'succeeded') ?? found.data[0];
        if (!intent || intent.status === 'processing' || intent.status === 'requires_capture') return undefined;
        return intent.status === 'succeeded'
          ? { status: 'succeeded', transactionId: intent.id }
          : { status: 'declined', failureCode: intent.last_payment_error?.decline_code ?? intent.status };
      } catch (err) {
        if (unknown(err)) throw new ProviderUnavailableError(`stripe: ${(err as Error).message}`, { cause: err });
        throw err;
      }
    },
    async refund(request) {
      try {
        const refund = await stripe.refunds.create(
          { payment_intent: request.transactionId, amount: request.amountCents },
          { idempotencyKey: request.idempotencyKey },
        );
        return { refundId: refund.id };
      } catch (err) {
        if (unknown(err)) throw new ProviderUnavailableError(`stripe: ${(err as Error).message}`, { cause: err });
        throw err;
      }
    },
  };
}

/** How old a webhook's signed timestamp may be; an older one is a replay (Stripe signs every delivery anew). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** Checks a webhook's signature on the raw body, and that it was signed recently; throws when either fails. */
export function verifyWebhook(stripe: Stripe, rawBody: Buffer, signature: string, secret: string): Stripe.Event {
  return stripe.webhooks.constructEvent(rawBody, signature, secret, WEBHOOK_TOLERANCE_SECONDS);
}

import {
  buildServiceApp,
  createServiceVerifier,
  createTokenVerifier,
  pingDatabase,
  type Pool,
  type ServiceApp,
  type TokenVerifier,
} from '@emporium/kit';
import type { DestinationStream } from 'pino';
import type { PaymentsConfig } from './config.ts';
import { createPaymentRepository } from './payments/payment-repository.ts';
import { paymentRoutes } from './payments/payment-routes.ts';
import { createPaymentService, type PaymentService } from './payments/payment-service.ts';
import type { PaymentProvider } from './providers/provider.ts';
import { webhookRoutes } from './payments/webhook-routes.ts';
import type Stripe from 'stripe';

export interface PaymentsDeps {
  pool: Pool;
  provider: PaymentProvider;
  /** The Stripe client, when the provider is Stripe: it checks webhook signatures. */
  stripe?: Stripe;
  verify?: TokenVerifier;
  logStream?: DestinationStream;
}

export async function buildApp(config: PaymentsConfig, deps: PaymentsDeps): Promise<ServiceApp & { paymentService: PaymentService }> {
  const app = await buildServiceApp({
    service: 'payments',
    logLevel: config.logLevel,
    logStream: deps.logStream,
    bodyLimitBytes: 64 * 1024,
    healthTimeoutMs: config.healthTimeoutMs,
    readinessChecks: { postgres: () => pingDatabase(deps.pool) },
  });
  const paymentService = createPaymentService({ pool: deps.pool, payments: createPaymentRepository(deps.pool), provider: deps.provider, currency: config.currency, voidGraceSeconds: config.voidGraceSeconds });
  const verify = deps.verify ?? createTokenVerifier({ jwksUrl: config.jwksUrl });
  const verifyService = createServiceVerifier({ service: 'payments', trusted: config.trustedServiceKeys });
  paymentRoutes(app, paymentService, verify, verifyService);
  await webhookRoutes(app, paymentService, deps.stripe, config.stripeWebhookSecret);
  return Object.assign(app, { paymentService });
}

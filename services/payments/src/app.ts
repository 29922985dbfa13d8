import {
  buildServiceApp,
  createServiceVerifier,
  createTokenVerifier,
  pingDatabase,
  type Pool,
  type ServiceApp,
  type TokenVerifier,
} from '@emporium/kit';
import { createFlags, type Flags } from '@emporium/kit';
import type { DestinationStream } from 'pino';
import type { PaymentsConfig } from './config.ts';
import { createPaymentRepository } from './payments/payment-repository.ts';
import { paymentRoutes } from './payments/payment-routes.ts';
import { createPaymentService, type PaymentService } from './payments/payment-service.ts';
import type { PaymentProvider } from './providers/provider.ts';
import { withFailureFlags } from './providers/provider-flags.ts';
import { createWebhookRepository } from './payments/webhook-repository.ts';
import { webhookRoutes } from './payments/webhook-routes.ts';
import type Stripe from 'stripe';

export interface PaymentsDeps {
  pool: Pool;
  provider: PaymentProvider;
  /** The Stripe client, when the provider is Stripe: it checks webhook signatures. */
  stripe?: Stripe;
  verify?: TokenVerifier;
  logStream?: DestinationStream;
  /** Failure flags; by default read from FLAGS_FILE (never in production). */
  flags?: Flags;
}

export type PaymentsApp = ServiceApp & { paymentService: PaymentService; flags: Flags };

export async function buildApp(config: PaymentsConfig, deps: PaymentsDeps): Promise<PaymentsApp> {
  const app = await buildServiceApp({
    service: 'payments',
    logLevel: config.logLevel,
    logStream: deps.logStream,
    bodyLimitBytes: 64 * 1024,
    healthTimeoutMs: config.healthTimeoutMs,
    readinessChecks: { postgres: () => pingDatabase(deps.pool) },
  });
  const flags = deps.flags ?? (await createFlags({ service: 'payments', config, log: app.log, registry: app.metrics }));
  if (!deps.flags) app.addHook('onClose', () => flags.close());
  const provider = flags.active ? withFailureFlags(deps.provider, flags, app.log) : deps.provider;
  const paymentService = createPaymentService({
    pool: deps.pool,
    payments: createPaymentRepository(deps.pool),
    provider,
    currency: config.currency,
    voidGraceSeconds: config.voidGraceSeconds,
  });
  const verify = deps.verify ?? createTokenVerifier({ jwksUrl: config.jwksUrl });
  const verifyService = createServiceVerifier({ service: 'payments', trusted: config.trustedServiceKeys });
  paymentRoutes(app, paymentService, verify, verifyService);
  const events = createWebhookRepository(deps.pool);
  await webhookRoutes(app, paymentService, events, deps.stripe, config.stripeWebhookSecret);
  return Object.assign(app, { paymentService, flags });
}

import { buildServiceApp, createTokenVerifier, pingDatabase, type Pool, type ServiceApp, type TokenVerifier } from '@emporium/kit';
import type { DestinationStream } from 'pino';
import type { PaymentsConfig } from './config.ts';
import { createPaymentRepository } from './payments/payment-repository.ts';
import { paymentRoutes } from './payments/payment-routes.ts';
import { createPaymentService, type PaymentService } from './payments/payment-service.ts';
import type { PaymentProvider } from './providers/provider.ts';

export interface PaymentsDeps {
  pool: Pool;
  provider: PaymentProvider;
  verify?: TokenVerifier;
  logStream?: DestinationStream;
}

export async function buildApp(config: PaymentsConfig, deps: PaymentsDeps): Promise<ServiceApp & { paymentService: PaymentService }> {
  const app = await buildServiceApp({
    service: 'payments',
    logLevel: config.logLevel,
    logStream: deps.logStream,
    bodyLimitBytes: 64 * 1024,
    readinessChecks: { postgres: () => pingDatabase(deps.pool) },
  });
  const paymentService = createPaymentService({ pool: deps.pool, payments: createPaymentRepository(deps.pool), provider: deps.provider, currency: config.currency });
  paymentRoutes(app, paymentService, deps.verify ?? createTokenVerifier({ jwksUrl: config.jwksUrl }));
  return Object.assign(app, { paymentService });
}

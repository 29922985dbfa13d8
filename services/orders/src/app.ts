import {
  buildServiceApp,
  createServiceCredential,
  createTokenVerifier,
  pingDatabase,
  type Pool,
  type ServiceApp,
  type TokenVerifier,
} from '@emporium/kit';
import { createFlags, type Flags } from '@emporium/kit';
import type { DestinationStream } from 'pino';
import { createCheckoutRepository } from './checkout/checkout-repository.ts';
import { createRecovery, type Recovery } from './checkout/checkout-recovery.ts';
import { createCheckoutService } from './checkout/checkout-service.ts';
import { createSagaRunner } from './checkout/saga-runner.ts';
import { createCatalogClient } from './clients/catalog-client.ts';
import { createPaymentClient } from './clients/payment-client.ts';
import type { OrdersConfig } from './config.ts';
import { createOrderRepository } from './orders/order-repository.ts';
import { orderRoutes } from './orders/order-routes.ts';
import { createOrderService } from './orders/order-service.ts';

export interface OrdersDeps {
  pool: Pool;
  verify?: TokenVerifier;
  logStream?: DestinationStream;
  /** Failure flags; by default read from FLAGS_FILE (never in production). */
  flags?: Flags;
}

export type OrdersApp = ServiceApp & { recovery: Recovery; flags: Flags };

export async function buildApp(config: OrdersConfig, deps: OrdersDeps): Promise<OrdersApp> {
  const app = await buildServiceApp({
    service: 'orders',
    logLevel: config.logLevel,
    logStream: deps.logStream,
    bodyLimitBytes: 64 * 1024,
    healthTimeoutMs: config.healthTimeoutMs,
    readinessChecks: { postgres: () => pingDatabase(deps.pool) },
  });
  // Orders reads kafkaPublishFailure only, in server.ts, where its outbox relay is made.
  const flags = deps.flags ?? (await createFlags({ service: 'orders', config, log: app.log, registry: app.metrics }));
  if (!deps.flags) app.addHook('onClose', () => flags.close());
  const orders = createOrderRepository(deps.pool);
  const checkouts = createCheckoutRepository(deps.pool);
  const credential = createServiceCredential({ service: 'orders', privateKeyPem: config.servicePrivateKey });
  const calls = { timeoutMs: config.serviceTimeoutMs, registry: app.metrics, credential };
  const catalog = createCatalogClient({ baseUrl: config.productsUrl, ...calls });
  const payments = createPaymentClient({ baseUrl: config.paymentsUrl, ...calls });
  app.addHook('onClose', async () => {
    await catalog.close();
    await payments.close();
  });
  const policy = {
    baseMs: config.sagaRetryBaseMs,
    maxMs: config.sagaRetryMaxMs,
    maxAttempts: config.sagaMaxAttempts,
    maxCompensationAttempts: config.sagaMaxCompensationAttempts,
    reservationTtlMs: config.reservationTtlSeconds * 1000,
  };
  const leaseSeconds = config.sagaLeaseSeconds;
  const runner = createSagaRunner({
    checkouts,
    orders,
    catalog,
    payments,
    policy,
    leaseSeconds,
    log: app.log,
    registry: app.metrics,
  });
  const checkout = createCheckoutService({ checkouts, orders, runner, leaseSeconds, waitMs: config.checkoutWaitMs });
  const service = createOrderService({ pool: deps.pool, orders, catalog, checkout, log: app.log });
  orderRoutes(app, checkout, service, deps.verify ?? createTokenVerifier({ jwksUrl: config.jwksUrl }));
  const recovery = createRecovery({ checkouts, runner, registry: app.metrics, log: app.log, leaseSeconds });
  return Object.assign(app, { recovery, flags });
}

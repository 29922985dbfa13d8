import {
  buildServiceApp,
  createServiceCredential,
  createTokenVerifier,
  pingDatabase,
  type Pool,
  type ServiceApp,
  type TokenVerifier,
} from '@emporium/kit';
import type { DestinationStream } from 'pino';
import { createCatalogClient } from './clients/catalog-client.ts';
import { createPaymentClient } from './clients/payment-client.ts';
import type { OrdersConfig } from './config.ts';
import { createCheckout } from './orders/checkout.ts';
import { createReconciler } from './orders/order-reconciler.ts';
import { createOrderRepository } from './orders/order-repository.ts';
import { orderRoutes } from './orders/order-routes.ts';
import { createOrderService } from './orders/order-service.ts';

export interface OrdersDeps {
  pool: Pool;
  verify?: TokenVerifier;
  logStream?: DestinationStream;
}

export async function buildApp(config: OrdersConfig, deps: OrdersDeps): Promise<ServiceApp & { reconcile: () => Promise<number> }> {
  const app = await buildServiceApp({
    service: 'orders',
    logLevel: config.logLevel,
    logStream: deps.logStream,
    bodyLimitBytes: 64 * 1024,
    readinessChecks: { postgres: () => pingDatabase(deps.pool) },
  });
  const orders = createOrderRepository(deps.pool);
  const credential = createServiceCredential({ service: 'orders', privateKeyPem: config.servicePrivateKey });
  const calls = { timeoutMs: config.serviceTimeoutMs, registry: app.metrics, credential };
  const catalog = createCatalogClient({ baseUrl: config.productsUrl, ...calls });
  const payments = createPaymentClient({ baseUrl: config.paymentsUrl, ...calls });
  app.addHook('onClose', async () => {
    await catalog.close();
    await payments.close();
  });
  const checkout = createCheckout({ pool: deps.pool, orders, catalog, payments });
  const service = createOrderService({ pool: deps.pool, orders, catalog, payments });
  orderRoutes(app, checkout, service, deps.verify ?? createTokenVerifier({ jwksUrl: config.jwksUrl }));
  const reconcile = createReconciler({ orders, checkout, service, catalog, graceSeconds: config.reconcileSeconds });
  return Object.assign(app, { reconcile });
}

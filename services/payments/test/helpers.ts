import path from 'node:path';
import { createPool, createTokenVerifier } from '@emporium/kit';
import {
  captureLogs,
  createTestDatabase,
  jwksOf,
  newServiceKeys,
  newSigningKey,
  signTestToken,
} from '@emporium/kit/testing';
import { buildApp, type PaymentsDeps } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { createSimulatedProvider, type SimulatedFaults } from '../src/providers/simulated-provider.ts';

/** A payments service on a fresh, migrated database of the real test PostgreSQL, with the simulated provider. */
export async function startPayments(
  faults: SimulatedFaults = {},
  env: Record<string, string> = {},
  deps: Pick<PaymentsDeps, 'stripe'> = {},
) {
  const db = await createTestDatabase(path.join(import.meta.dirname, '..', 'migrations'));
  // Orders may call the internal routes; products is trusted but not allowed there.
  const services = await newServiceKeys(['orders', 'products']);
  const config = readConfig({
    DATABASE_URL: db.url,
    SERVICE_TRUSTED_KEYS: services.trustedKeys,
    LOG_LEVEL: 'warn',
    ...env,
  });
  const pool = createPool(db.url, 20);
  const key = newSigningKey();
  const logs = captureLogs();
  const verify = createTokenVerifier({ jwks: await jwksOf(key.privateKey) });
  const provider = createSimulatedProvider(pool, faults);
  const app = await buildApp(config, { pool, provider, verify, logStream: logs.stream, ...deps });
  await app.ready();
  const auth = async (role: 'admin' | 'customer', id: number) => ({
    authorization: `Bearer ${await signTestToken(key.privateKey, { sub: String(id), role, username: `u${id}` })}`,
  });
  return {
    app,
    pool,
    db,
    auth,
    logs,
    services,
    /** Headers of a call from the order service to the internal routes. */
    asOrders: () => services.headers('orders', 'payments'),
    async close() {
      await app.close();
      await pool.end();
      await db.drop();
    },
  };
}

export type Payments = Awaited<ReturnType<typeof startPayments>>;

export const order = (orderId: number, userId = 7, amount = 59.98, paymentMethod?: string) => ({
  order_id: orderId,
  amount,
  ...(paymentMethod ? { payment_method: paymentMethod } : {}),
  order: {
    user_id: userId,
    total_amount: amount,
    region: 'GB',
    items: [{ product_id: 1, product_name: 'Mug', category: 'Kitchen', quantity: 2, price: amount / 2 }],
  },
});

import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { TOPICS } from '@emporium/events';
import { createLogger, createPool } from '@emporium/kit';
import { captureLogs, createTestDatabase, newServiceKeys } from '@emporium/kit/testing';
import { createEventProducer, createOutboxRelay, ensureTopics, withPublishFailureFlag } from '@emporium/messaging';
import { testBrokers } from '@emporium/messaging/testing';
import client from 'prom-client';
import { buildApp as buildGateway } from '../../services/gateway/src/app.ts';
import { readConfig as gatewayConfig } from '../../services/gateway/src/config.ts';
import { buildApp as buildPayments } from '../../services/payments/src/app.ts';
import { readConfig as paymentsConfig } from '../../services/payments/src/config.ts';
import { createSimulatedProvider } from '../../services/payments/src/providers/simulated-provider.ts';
import { buildApp as buildProducts } from '../../services/products/src/app.ts';
import { readConfig as productsConfig } from '../../services/products/src/config.ts';
import { createDocumentClient, ensureTables, tableNames } from '../../services/products/src/store/dynamo.ts';
import { startUsers } from '../../services/users/test/helpers.ts';
import { buildApp } from '../../services/orders/src/app.ts';
import { readConfig } from '../../services/orders/src/config.ts';

/**
 * A number no other shop of this test run has (test files run in separate processes, all on one test PostgreSQL):
 * each shop's order ids start at their own ten million, so events keyed by order id never mix on the shared broker.
 */
async function shopNumber(): Promise<number> {
  // The run's own test PostgreSQL, even for a suite that points EMPORIUM_TEST_PG_URL at a server of its own.
  const admin = createPool((process.env['EMPORIUM_TEST_RUN_PG_URL'] ?? process.env['EMPORIUM_TEST_PG_URL'])!, 1);
  try {
    for (let tries = 0; ; tries++) {
      try {
        await admin.query('CREATE SEQUENCE IF NOT EXISTS emporium_test_shops MAXVALUE 200 CYCLE');
        return Number((await admin.query("SELECT nextval('emporium_test_shops') AS n")).rows[0].n);
      } catch (err) {
        // Two shops creating the sequence at the same moment: one wins, the other tries again.
        if (tries > 2) throw err;
      }
    }
  } finally {
    await admin.end();
  }
}

const addr = (app: FastifyInstance) => `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
const quiet = () => captureLogs().stream;

/**
 * The whole checkout path for real: users, products (DynamoDB API), payments and orders (PostgreSQL),
 * the gateway in front, and both outboxes publishing to the test Kafka broker.
 */
export async function startShop(
  options: {
    brokers?: string[];
    usersEnv?: Record<string, string>;
    ordersEnv?: Record<string, string>;
    paymentsFront?: (paymentsUrl: string) => string;
    /** Where the order service finds the catalog (a proxy, or a products process of the test's own). */
    productsFront?: (productsUrl: string) => string;
    productsEnv?: Record<string, string>;
    /** A flag file every service reads, as under the launcher (docs/failure-flags.md). */
    flagsFile?: string;
    /** A DynamoDB API of the caller's own (one it may stop), instead of the test run's. */
    dynamoEndpoint?: string;
    /** More services behind the gateway, started once users is up (e.g. notifications); returns their URLs. */
    extraServices?: (ctx: { usersUrl: string; usersDatabaseUrl: string; jwks: string }) => Promise<{
      gatewayEnv: Record<string, string>;
      close(): Promise<void>;
    }>;
  } = {},
) {
  const brokers = options.brokers ?? testBrokers();
  const flagsEnv: Record<string, string> = options.flagsFile
    ? { FLAGS_FILE: options.flagsFile, FLAGS_POLL_MS: '50' }
    : {};
  const users = await startUsers(options.usersEnv);
  await users.app.listen({ port: 0, host: '127.0.0.1' });
  const jwks = `${addr(users.app)}/.well-known/jwks.json`;
  // As the launcher does: orders signs its internal calls, products and payments trust its key.
  const serviceKeys = await newServiceKeys(['orders']);
  const trusted = { SERVICE_TRUSTED_KEYS: serviceKeys.trustedKeys };
  const ordersKey = serviceKeys.privateKeys['orders']!;

  const endpoint = options.dynamoEndpoint ?? process.env['EMPORIUM_TEST_DYNAMODB_ENDPOINT']!;
  const prefix = `o${randomBytes(4).toString('hex')}-`;
  const db = createDocumentClient({ endpoint, region: 'us-east-1' });
  await ensureTables(db, tableNames(prefix));
  const productsEnv = { DYNAMODB_ENDPOINT: endpoint, DYNAMODB_TABLE_PREFIX: prefix, JWKS_URL: jwks, ...trusted };
  const productsConfigured = productsConfig({ ...productsEnv, LOG_LEVEL: 'warn', ...flagsEnv, ...options.productsEnv });
  const products = await buildProducts(productsConfigured, { db, logStream: quiet() });
  await products.listen({ port: 0, host: '127.0.0.1' });

  const paymentsDb = await createTestDatabase(path.join(import.meta.dirname, '../../services/payments/migrations'));
  const paymentsPool = createPool(paymentsDb.url, 20);
  const paymentsEnv = { DATABASE_URL: paymentsDb.url, JWKS_URL: jwks, LOG_LEVEL: 'warn', ...trusted, ...flagsEnv };
  const paymentsDeps = { pool: paymentsPool, provider: createSimulatedProvider(paymentsPool), logStream: quiet() };
  const payments = await buildPayments(paymentsConfig(paymentsEnv), paymentsDeps);
  await payments.listen({ port: 0, host: '127.0.0.1' });

  const ordersDb = await createTestDatabase(path.join(import.meta.dirname, '../../services/orders/migrations'));
  // Suites share one broker and key events by order id: each shop's ids start somewhere of their own.
  const firstId = 1 + (await shopNumber()) * 10_000_000;
  const seq = createPool(ordersDb.url, 1);
  await seq.query(`ALTER SEQUENCE orders_id_seq RESTART WITH ${firstId}`);
  await seq.end();
  // The order service as it is configured by default (its pool size included); a test may put a proxy before payments.
  const ordersEnv = {
    DATABASE_URL: ordersDb.url,
    PRODUCTS_URL: options.productsFront?.(addr(products)) ?? addr(products),
    PAYMENTS_URL: options.paymentsFront?.(addr(payments)) ?? addr(payments),
  };
  const ordersConfig = readConfig({
    ...ordersEnv,
    JWKS_URL: jwks,
    LOG_LEVEL: 'warn',
    SERVICE_PRIVATE_KEY: ordersKey,
    ...flagsEnv,
    ...options.ordersEnv,
  });
  const ordersPool = createPool(ordersDb.url, ordersConfig.databasePoolSize);
  const orders = await buildApp(ordersConfig, { pool: ordersPool, logStream: quiet() });
  await orders.listen({ port: 0, host: '127.0.0.1' });

  const extra = await options.extraServices?.({ usersUrl: addr(users.app), usersDatabaseUrl: users.databaseUrl, jwks });
  const gateway = await buildGateway(
    gatewayConfig({
      USERS_URL: addr(users.app),
      PRODUCTS_URL: addr(products),
      ORDERS_URL: addr(orders),
      PAYMENTS_URL: addr(payments),
      RATE_LIMIT_PER_MINUTE: '0',
      // The test's own load runs on this process's event loop: no shedding here (e2e/faults/overload.test.ts
      // runs a gateway of its own, with it).
      MAX_IN_FLIGHT_PER_SERVICE: '0',
      SHED_LATENCY_TARGET_MS: '0',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      LOG_LEVEL: 'warn',
      ...extra?.gatewayEnv,
    }),
    { logStream: quiet() },
  );
  await gateway.listen({ port: 0, host: '127.0.0.1' });

  await ensureTopics(brokers, [TOPICS.orders], 1);
  const producer = createEventProducer({ brokers, clientId: 'shop-test' });
  const log = createLogger('shop', 'error', quiet());
  const relayMetrics = new client.Registry();
  const relays = [
    createOutboxRelay({
      databaseUrl: ordersDb.url,
      producer: withPublishFailureFlag(producer, orders.flags),
      registry: relayMetrics,
      log,
      lockKey: 5003,
      pollMs: 200,
    }),
    createOutboxRelay({
      databaseUrl: paymentsDb.url,
      producer: withPublishFailureFlag(producer, payments.flags),
      registry: new client.Registry(),
      log,
      lockKey: 5005,
      pollMs: 200,
    }),
  ];
  for (const r of relays) await r.start();

  const base = addr(gateway);
  const call = async (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(base + p, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : undefined) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const login = async (name: string) => {
    await call('POST', '/api/users/register', {
      username: name,
      email: `${name}@example.com`,
      password: 'a-good-password',
    });
    const res = await call('POST', '/api/users/login', { username: name, password: 'a-good-password' });
    return { id: res.json.user.id as number, auth: { authorization: `Bearer ${res.json.access_token}` } };
  };
  await users.app.userService.bootstrapAdmin('admin@example.com', 'admin-password-1');
  const adminLogin = await call('POST', '/api/users/login', {
    email: 'admin@example.com',
    password: 'admin-password-1',
  });
  const admin = { authorization: `Bearer ${adminLogin.json.access_token}` };
  let sku = 0;
  const product = async (stock: number, price = 10) =>
    (
      await call(
        'POST',
        '/api/products',
        { name: `Item ${++sku}`, price, category: 'Shop Test', stock_quantity: stock, sku: `SHOP-${sku}` },
        admin,
      )
    ).json as { id: number; price: number; name: string };
  const stockOf = async (id: number) => (await call('GET', `/api/products/${id}`)).json.stock_quantity as number;

  return {
    brokers,
    call,
    login,
    admin,
    product,
    stockOf,
    orders,
    ordersPool,
    paymentsPool,
    relays,
    relayMetrics,
    jwks,
    serviceKeys,
    payments,
    products,
    ordersDbUrl: ordersDb.url,
    paymentsDbUrl: paymentsDb.url,
    urls: {
      users: addr(users.app),
      products: addr(products),
      orders: addr(orders),
      payments: addr(payments),
      gateway: base,
    },
    /** What each service of the shop is configured with, to run another process of it on the same stores. */
    env: {
      users: { DATABASE_URL: users.databaseUrl, JWT_PRIVATE_KEY: users.key.pem, BCRYPT_COST: '4' },
      products: productsEnv,
      payments: { DATABASE_URL: paymentsDb.url, JWKS_URL: jwks, ...trusted },
    },
    async close() {
      for (const r of relays) await r.stop();
      await producer.close();
      await gateway.close();
      await extra?.close();
      await orders.close();
      await payments.close();
      await products.close();
      await ordersPool.end();
      await paymentsPool.end();
      await ordersDb.drop();
      await paymentsDb.drop();
      await users.close();
    },
  };
}

export type Shop = Awaited<ReturnType<typeof startShop>>;

export const address = { line1: '1 High Street', city: 'London', postal_code: 'N1 1AA', country: 'GB' };

import { randomBytes } from 'node:crypto';
import { createTokenVerifier } from '@emporium/kit';
import { captureLogs, jwksOf, newServiceKeys, newSigningKey, signTestToken } from '@emporium/kit/testing';
import type { Redis } from 'ioredis';
import { buildApp } from '../src/app.ts';
import type { LowStockHook } from '../src/catalog/low-stock.ts';
import { readConfig } from '../src/config.ts';
import type { DynamoClient } from '../src/store/dynamo-client.ts';
import { createDocumentClient, ensureTables, tableNames } from '../src/store/dynamo.ts';

/** Records every DynamoDB operation the service sends (wire input), to check which index a read used. */
function recording(db: DynamoClient) {
  const sent: Array<{ name: string; input: Record<string, unknown> }> = [];
  const original = db.send.bind(db);
  db.send = (operation, input) => {
    sent.push({ name: operation, input });
    return original(operation, input);
  };
  return sent;
}

/** A products service on its own fresh tables in the test DynamoDB (dynalite), optionally with Redis. */
export async function startProducts(
  options: { redis?: Redis; env?: Record<string, string>; onLowStock?: LowStockHook; now?: () => Date } = {},
) {
  const endpoint = process.env['EMPORIUM_TEST_DYNAMODB_ENDPOINT'];
  if (!endpoint) throw new Error('EMPORIUM_TEST_DYNAMODB_ENDPOINT is not set: run the suites with `npm test`');
  const prefix = `t${randomBytes(4).toString('hex')}-`;
  // Orders may call the reservation routes and product-images the image routes; payments is trusted but
  // allowed on neither, as in the platform.
  const services = await newServiceKeys(['orders', 'payments', 'product-images']);
  const env = { DYNAMODB_ENDPOINT: endpoint, DYNAMODB_TABLE_PREFIX: prefix, LOG_LEVEL: 'warn' };
  const config = readConfig({ ...env, SERVICE_TRUSTED_KEYS: services.trustedKeys, ...options.env });
  const db = createDocumentClient({ endpoint, region: config.awsRegion });
  await ensureTables(db, tableNames(prefix));
  const sent = recording(db);
  const key = newSigningKey();
  const verify = createTokenVerifier({ jwks: await jwksOf(key.privateKey) });
  const logs = captureLogs();
  const app = await buildApp(config, {
    db,
    redis: options.redis,
    verify,
    logStream: logs.stream,
    ...(options.onLowStock ? { onLowStock: options.onLowStock } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  await app.ready();
  const token = async (role: 'admin' | 'customer', id = role === 'admin' ? 1 : 2) => ({
    authorization: `Bearer ${await signTestToken(key.privateKey, { sub: String(id), role, username: role })}`,
  });
  const admin = await token('admin');
  const customer = await token('customer');
  let skuSeq = 0;
  const create = async (fields: Record<string, unknown> = {}) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/products',
      headers: admin,
      payload: {
        name: 'Thing',
        price: 9.99,
        category: 'Misc',
        stock_quantity: 10,
        sku: `T-${process.pid}-${++skuSeq}`,
        ...fields,
      },
    });
    if (res.statusCode !== 201) throw new Error(`create: ${res.statusCode} ${res.body}`);
    return res.json() as {
      id: number;
      sku: string;
      stock_quantity: number;
      price: number;
      name: string;
      category: string;
    };
  };
  /** Headers of a call from the order service to the internal routes. */
  const asOrders = () => services.headers('orders', 'products');
  /** Headers of a call from the product-images function. */
  const asImages = () => services.headers('product-images', 'products');
  return { app, db, sent, admin, customer, create, logs, services, asOrders, asImages, close: () => app.close() };
}

export type Products = Awaited<ReturnType<typeof startProducts>>;

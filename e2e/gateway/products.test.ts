import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { newServiceKeys } from '@emporium/kit/testing';
import { buildApp as buildProducts } from '../../services/products/src/app.ts';
import { readConfig as readProductsConfig } from '../../services/products/src/config.ts';
import { createDocumentClient, ensureTables, tableNames } from '../../services/products/src/store/dynamo.ts';
import { buildApp } from '../../services/gateway/src/app.ts';
import { readConfig } from '../../services/gateway/src/config.ts';
import { addressOf, rawRequest, startStack, type Stack } from './helpers.ts';

// The catalog through the gateway, with real tokens from the users service checked against its JWKS.
let s: Stack;
let products: Awaited<ReturnType<typeof buildProducts>>;
let gw: Awaited<ReturnType<typeof buildApp>>;
let base: string;

before(async () => {
  s = await startStack();
  const endpoint = process.env['EMPORIUM_TEST_DYNAMODB_ENDPOINT']!;
  const prefix = `g${randomBytes(4).toString('hex')}-`;
  const jwks = `${addressOf(s.users.app)}/.well-known/jwks.json`;
  const trusted = (await newServiceKeys(['orders'])).trustedKeys;
  const env = { DYNAMODB_ENDPOINT: endpoint, DYNAMODB_TABLE_PREFIX: prefix, JWKS_URL: jwks, LOG_LEVEL: 'warn' };
  const config = readProductsConfig({ ...env, SERVICE_TRUSTED_KEYS: trusted });
  const db = createDocumentClient({ endpoint, region: config.awsRegion });
  await ensureTables(db, tableNames(prefix));
  products = await buildProducts(config, { db });
  await products.listen({ port: 0, host: '127.0.0.1' });
  gw = await buildApp(
    readConfig({
      USERS_URL: addressOf(s.users.app),
      PRODUCTS_URL: addressOf(products),
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
    }),
  );
  await gw.listen({ port: 0, host: '127.0.0.1' });
  base = addressOf(gw);
});
after(async () => {
  await gw.close();
  await products.close();
  await s.close();
});

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json().catch(() => undefined)) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

test('an admin manages the catalog through the gateway; a customer reads it and cannot write', async () => {
  await s.users.app.userService.bootstrapAdmin('boss@example.com', 'boss-password-1');
  const adminLogin = await call('POST', '/api/users/login', { email: 'boss@example.com', password: 'boss-password-1' });
  const admin = { authorization: `Bearer ${adminLogin.json.access_token}` };
  const customer = (await s.signUp('shopper_gw')).auth;

  const created = await call(
    'POST',
    '/api/products',
    { name: 'Gateway mug', price: 12.5, category: 'Mugs', stock_quantity: 3, sku: 'GW-MUG-1' },
    admin,
  );
  assert.equal(created.status, 201);
  const id = created.json.id;
  assert.equal((await call('GET', `/api/products/${id}`)).json.name, 'Gateway mug');
  assert.equal((await call('GET', '/api/products?category=Mugs')).json.items.length, 1);
  assert.equal((await call('PATCH', `/api/products/${id}/stock`, { delta: -1 }, customer)).status, 403);
  assert.equal((await call('PATCH', `/api/products/${id}/stock`, { delta: -1 })).status, 401);
  assert.equal((await call('PATCH', `/api/products/${id}/stock`, { delta: -1 }, admin)).json.stock_quantity, 2);
  assert.equal((await call('GET', `/api/products/${id}`, undefined, customer)).json.stock_quantity, 2);
});

test('the internal reservation API is not reachable through the gateway', async () => {
  const res = await call('POST', '/internal/reservations', { order_id: 1, lines: [{ product_id: 1, quantity: 1 }] });
  assert.equal(res.status, 404);
  // Sent raw: fetch would resolve the `..` itself and the gateway would never see it.
  const body = JSON.stringify({ order_id: 1, lines: [{ product_id: 1, quantity: 1 }] });
  const paths = ['..', '%2e%2e', '.%2E'].map((dots) => `/api/products/${dots}/internal/reservations`);
  for (const path of paths) {
    const sneaky = await rawRequest(base, 'POST', path, { 'content-type': 'application/json' }, body);
    assert.equal(sneaky.status, 400, path);
    assert.equal(JSON.parse(sneaky.text).code, 'invalid_path');
  }
});

test('the merged docs list the catalog routes', async () => {
  const doc = await call('GET', '/docs/json');
  assert.ok(doc.json.paths['/api/products/{id}/stock']);
  assert.ok(!Object.keys(doc.json.paths).some((p) => p.startsWith('/internal')));
});

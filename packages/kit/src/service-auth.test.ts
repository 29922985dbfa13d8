import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { Type } from 'typebox';
import { buildServiceApp } from './app.ts';
import { createTokenVerifier, SERVICE_TOKEN_TYPE } from './auth.ts';
import type { DomainError } from './errors.ts';
import { createServiceClient } from './http-client.ts';
import {
  createServiceCredential,
  createServiceVerifier,
  parseServicePrivateKey,
  parseTrustedServiceKeys,
  publicJwkOf,
  requireService,
} from './service-auth.ts';
import {
  captureLogs,
  jwksOf,
  newServiceKeys,
  newSigningKey,
  signServiceTestToken,
  signTestToken,
  unsignedServiceToken,
} from './testing/index.ts';

const keys = await newServiceKeys(['orders', 'notifications']);
const verify = createServiceVerifier({ service: 'products', trusted: parseTrustedServiceKeys(keys.trustedKeys) });
const refusal = (kind: DomainError['kind'], code: string) => (err: DomainError) =>
  err.kind === kind && err.code === code;
const now = () => Math.floor(Date.now() / 1000);

test('a credential signs a typed, short-lived token naming caller and callee', async () => {
  const token = await keys.credential('orders').tokenFor('products');
  const header = decodeProtectedHeader(token);
  const claims = decodeJwt(token);
  assert.deepEqual([header.alg, header.typ], ['EdDSA', SERVICE_TOKEN_TYPE]);
  assert.deepEqual([claims.iss, claims.sub, claims.aud], ['svc:orders', 'svc:orders', 'svc:products']);
  assert.equal(claims.exp! - claims.iat!, 60);
  assert.deepEqual(await verify(token), { service: 'orders', tokenExpiresAt: claims.exp });
});

test('a credential reuses its token and renews it with a third of its life left', async () => {
  let clock = Date.now();
  const privateKeyPem = keys.privateKeys['orders']!;
  const credential = createServiceCredential({ service: 'orders', privateKeyPem, now: () => clock });
  const [a, b] = await Promise.all([credential.tokenFor('products'), credential.tokenFor('products')]);
  assert.equal(a, b);
  assert.notEqual(await credential.tokenFor('payments'), a, 'one token per audience');
  clock += 39_000;
  assert.equal(await credential.tokenFor('products'), a);
  clock += 2_000;
  const renewed = await credential.tokenFor('products');
  assert.notEqual(renewed, a);
  assert.ok(decodeJwt(renewed).exp! > decodeJwt(a).exp!);
});

test('the right caller passes; every other credential is refused with 401 or 403', async () => {
  const orders = keys.privateKeys['orders']!;
  const stranger = newSigningKey().pem;
  const user = newSigningKey();
  const sign = (pem: string, opts: Partial<Parameters<typeof signServiceTestToken>[1]> = {}) =>
    signServiceTestToken(pem, { caller: 'orders', target: 'products', ...opts });
  const userToken = await signTestToken(user.privateKey, { sub: '1', role: 'admin', username: 'boss' });
  const expired = 'service_credential_expired';
  const cases: Array<[string, string, DomainError['kind'], string]> = [
    ['not a token', 'abc.def', 'unauthenticated', 'malformed_service_credential'],
    ['expired', await sign(orders, { issuedAt: now() - 120, expiresAt: now() - 60 }), 'unauthenticated', expired],
    ['issued too long ago', await sign(orders, { issuedAt: now() - 600 }), 'unauthenticated', expired],
    ['a user access token', userToken, 'forbidden', 'service_credential_required'],
    ['untyped', await sign(orders, { typ: 'JWT' }), 'forbidden', 'service_credential_required'],
    ['another audience', await sign(orders, { target: 'payments' }), 'forbidden', 'invalid_service_credential'],
    ['alg none', unsignedServiceToken('orders', 'products'), 'forbidden', 'invalid_service_credential'],
    ['an unknown key claiming to be orders', await sign(stranger), 'forbidden', 'invalid_service_credential'],
    ['an untrusted service', await sign(stranger, { caller: 'mallory' }), 'forbidden', 'untrusted_service'],
  ];
  for (const [what, token, kind, code] of cases) await assert.rejects(verify(token), refusal(kind, code), what);
});

test('a user-token verifier refuses a service token, even one signed with its own key', async () => {
  const users = newSigningKey();
  const verifyUser = createTokenVerifier({ jwks: await jwksOf(users.privateKey) });
  const asUser = await signTestToken(users.privateKey, { sub: '1', role: 'admin', username: 'x' });
  assert.equal((await verifyUser(asUser)).role, 'admin');
  // Claims that would pass as a user's, but typed as a service token.
  const { SignJWT } = await import('jose');
  const typed = await new SignJWT({ sub: '1', role: 'admin', username: 'x' })
    .setProtectedHeader({ alg: 'EdDSA', typ: SERVICE_TOKEN_TYPE })
    .setIssuer('emporium-users')
    .setAudience('emporium')
    .setIssuedAt()
    .setExpirationTime('1m')
    .sign(users.privateKey);
  await assert.rejects(verifyUser(typed), refusal('unauthenticated', 'invalid_token'));
  const service = await signServiceTestToken(users.pem, { caller: 'orders', target: 'products' });
  await assert.rejects(verifyUser(service), refusal('unauthenticated', 'invalid_token'));
});

test('two keys for one service during a rotation are both trusted', async () => {
  const next = newSigningKey().pem;
  const both = [await publicJwkOf(keys.privateKeys['orders']!), await publicJwkOf(next)];
  const trusted = parseTrustedServiceKeys(JSON.stringify({ orders: both }));
  const v = createServiceVerifier({ service: 'products', trusted });
  assert.equal((await v(await keys.credential('orders').tokenFor('products'))).service, 'orders');
  const rotated = createServiceCredential({ service: 'orders', privateKeyPem: next });
  assert.equal((await v(await rotated.tokenFor('products'))).service, 'orders');
});

test('settings are checked: a private key never belongs in the trusted set', async () => {
  const publicKey = await publicJwkOf(keys.privateKeys['orders']!);
  assert.throws(() => parseTrustedServiceKeys('nope'), /must be JSON/);
  assert.throws(() => parseTrustedServiceKeys('[]'), /JSON object/);
  const rsaJwk = { kty: 'RSA', n: 'x', e: 'AQAB' };
  assert.throws(() => parseTrustedServiceKeys(JSON.stringify({ orders: rsaJwk })), /not an Ed25519 public JWK/);
  const privateJwk = { ...publicKey, d: 'secret' };
  assert.throws(() => parseTrustedServiceKeys(JSON.stringify({ orders: privateJwk })), /private key/);
  assert.throws(() => parseTrustedServiceKeys(JSON.stringify({ 'Not A Name': publicKey })), /invalid service name/);
  assert.throws(() => parseServicePrivateKey('not a key'), /PEM private key/);
  const { generateKeyPairSync } = await import('node:crypto');
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  assert.throws(() => parseServicePrivateKey(rsa.toString()), /Ed25519/);
  const escaped = keys.privateKeys['orders']!.replaceAll('\n', '\\n');
  assert.match(parseServicePrivateKey(escaped), /^-----BEGIN PRIVATE KEY-----\n/, 'env vars may carry \\n escapes');
});

const app = await buildServiceApp({ service: 'products', logStream: captureLogs().stream });
const callerOf = async (req: FastifyRequest) => ({ caller: req.serviceIdentity?.service });
app.post('/internal/things', { onRequest: requireService(verify, ['orders']) }, callerOf);
const strict = { onRequest: requireService(verify, ['orders']), schema: { body: Type.Object({ n: Type.Integer() }) } };
app.post('/internal/strict', strict, callerOf);
await app.listen({ port: 0, host: '127.0.0.1' });
after(() => app.close());
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

test('requireService: 401 problem without a credential, 403 for a service not on the allow-list', async () => {
  const none = await app.inject({ method: 'POST', url: '/internal/things' });
  assert.equal(none.statusCode, 401);
  assert.equal(none.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.equal(none.json().code, 'missing_service_credential');
  const asNotifications = await keys.headers('notifications', 'products');
  const notAllowed = await app.inject({ method: 'POST', url: '/internal/things', headers: asNotifications });
  assert.deepEqual([notAllowed.statusCode, notAllowed.json().code], [403, 'service_not_allowed']);
  const asOrders = await keys.headers('orders', 'products');
  const allowed = await app.inject({ method: 'POST', url: '/internal/things', headers: asOrders });
  assert.deepEqual([allowed.statusCode, allowed.json()], [200, { caller: 'orders' }]);
  // The credential is checked before the body: a stranger does not learn what the route expects.
  const strictNone = await app.inject({ method: 'POST', url: '/internal/strict', payload: { n: 'x' } });
  assert.equal(strictNone.statusCode, 401);
  const strictBad = await app.inject({ method: 'POST', url: '/internal/strict', headers: asOrders, payload: {} });
  assert.equal(strictBad.statusCode, 400);
});

test('the service client signs its calls with the credential it is given, addressed to its target', async () => {
  const credential = keys.credential('orders');
  const signed = createServiceClient({ target: 'products', baseUrl: base, timeoutMs: 1000, credential });
  const answer = await signed.json({ method: 'POST', path: '/internal/things' });
  assert.deepEqual(answer, { statusCode: 200, body: { caller: 'orders' } });
  const wrongTarget = createServiceClient({ target: 'payments', baseUrl: base, timeoutMs: 1000, credential });
  assert.equal((await wrongTarget.request({ method: 'POST', path: '/internal/things' })).statusCode, 403);
  const anonymous = createServiceClient({ target: 'products', baseUrl: base, timeoutMs: 1000 });
  assert.equal((await anonymous.request({ method: 'POST', path: '/internal/things' })).statusCode, 401);
  await Promise.all([signed.close(), wrongTarget.close(), anonymous.close()]);
});

import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { Writable } from 'node:stream';
import { exportJWK, SignJWT, calculateJwkThumbprint, type JSONWebKeySet } from 'jose';
import pg from 'pg';
import { SERVICE_TOKEN_TYPE, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../auth.ts';
import { runMigrations } from '../migrate.ts';
import { createServiceCredential, publicJwkOf, type ServiceCredential } from '../service-auth.ts';

/** A fresh database on the test PostgreSQL started by `npm test`, migrated from `migrationsDir`. */
export async function createTestDatabase(migrationsDir?: string): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env['EMPORIUM_TEST_PG_URL'];
  if (!adminUrl) throw new Error('EMPORIUM_TEST_PG_URL is not set: run the suites with `npm test`');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (migrationsDir) await runMigrations(url.toString(), migrationsDir);
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Collects a service's JSON log lines so tests can assert what was (not) logged. */
export function captureLogs(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

export function newSigningKey(): { privateKey: KeyObject; pem: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { privateKey, pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

export async function jwksOf(privateKey: KeyObject): Promise<JSONWebKeySet> {
  const { createPublicKey } = await import('node:crypto');
  const jwk = await exportJWK(createPublicKey(privateKey));
  return { keys: [{ ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'EdDSA' }] };
}

/** Signs arbitrary claims, for tests of expired, foreign or malformed tokens. */
export async function signTestToken(
  privateKey: KeyObject,
  claims: Record<string, unknown>,
  opts: { expiresAt?: number; issuer?: string; audience?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA' })
    .setIssuer(opts.issuer ?? TOKEN_ISSUER)
    .setAudience(opts.audience ?? TOKEN_AUDIENCE)
    .setIssuedAt(now - 60)
    .setExpirationTime(opts.expiresAt ?? now + 600)
    .sign(privateKey);
}

/** An unsigned token (`alg: none`) claiming whatever the attacker likes. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600, ...claims })}.`;
}

/**
 * A key pair per service name, as the launcher makes them: `privateKeys` for SERVICE_PRIVATE_KEY,
 * `trustedKeys` (every public key) for SERVICE_TRUSTED_KEYS, `credential(name)` to call as that service.
 */
export async function newServiceKeys(names: string[]) {
  const privateKeys: Record<string, string> = Object.fromEntries(names.map((n) => [n, newSigningKey().pem]));
  const publicKeys = Object.fromEntries(
    await Promise.all(names.map(async (n) => [n, await publicJwkOf(privateKeys[n]!)])),
  );
  const credentials = new Map<string, ServiceCredential>();
  const credential = (name: string): ServiceCredential => {
    let c = credentials.get(name);
    if (!c) credentials.set(name, (c = createServiceCredential({ service: name, privateKeyPem: privateKeys[name]! })));
    return c;
  };
  /** `Authorization` header for a call from `caller` to `target`. */
  const headers = async (caller: string, target: string) => ({
    authorization: `Bearer ${await credential(caller).tokenFor(target)}`,
  });
  return { privateKeys, trustedKeys: JSON.stringify(publicKeys), credential, headers };
}

/** A service token with whatever claims and header a test needs: expired, wrong audience, foreign key. */
export async function signServiceTestToken(
  privateKeyPem: string,
  opts: { caller: string; target: string; issuedAt?: number; expiresAt?: number; typ?: string },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const { createPrivateKey } = await import('node:crypto');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'EdDSA', typ: opts.typ ?? SERVICE_TOKEN_TYPE })
    .setIssuer(`svc:${opts.caller}`)
    .setSubject(`svc:${opts.caller}`)
    .setAudience(`svc:${opts.target}`)
    .setIssuedAt(opts.issuedAt ?? now)
    .setExpirationTime(opts.expiresAt ?? now + 60)
    .setJti(crypto.randomUUID())
    .sign(createPrivateKey(privateKeyPem));
}

/** An unsigned service token (`alg: none`) naming a trusted caller. */
export function unsignedServiceToken(caller: string, target: string): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: `svc:${caller}`, sub: `svc:${caller}`, aud: `svc:${target}`, iat: now, exp: now + 60 };
  return `${b64({ alg: 'none', typ: SERVICE_TOKEN_TYPE })}.${b64(claims)}.`;
}

/**
 * What an internal route must refuse and accept, for a service's own integration test: `keys` from
 * newServiceKeys, `allowed` a caller on the route's allow-list, `trustedButNotAllowed` one that is not,
 * `users` the Authorization headers of real user tokens (customer, admin) the service would accept on /api.
 */
type Case = { what: string; headers: Record<string, string>; status: number; code: string };

export async function serviceCredentialCases(
  keys: Awaited<ReturnType<typeof newServiceKeys>>,
  opts: {
    target: string;
    allowed: string;
    trustedButNotAllowed: string;
    users: Record<string, { authorization: string }>;
  },
): Promise<Case[]> {
  const own = keys.privateKeys[opts.allowed]!;
  const now = Math.floor(Date.now() / 1000);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const sign = (pem: string, o: { caller?: string; target?: string; issuedAt?: number; expiresAt?: number } = {}) =>
    signServiceTestToken(pem, { caller: opts.allowed, target: opts.target, ...o }).then(bearer);
  const refused = (what: string, headers: Record<string, string>, code: string, status = 403): Case => ({
    what,
    headers,
    status,
    code,
  });
  const other = opts.trustedButNotAllowed;
  const users = Object.entries(opts.users);
  return [
    refused('no credential', {}, 'missing_service_credential', 401),
    refused('not a token', bearer('not-a-jwt'), 'malformed_service_credential', 401),
    ...users.map(([role, headers]) => refused(`a ${role}'s access token`, headers, 'service_credential_required')),
    refused(`${other}, trusted but not allowed here`, await keys.headers(other, opts.target), 'service_not_allowed'),
    refused('expired', await sign(own, { issuedAt: now - 99, expiresAt: now - 30 }), 'service_credential_expired', 401),
    refused('addressed to another service', await sign(own, { target: 'someone-else' }), 'invalid_service_credential'),
    refused('alg none', bearer(unsignedServiceToken(opts.allowed, opts.target)), 'invalid_service_credential'),
    refused(`an unknown key signing as ${opts.allowed}`, await sign(newSigningKey().pem), 'invalid_service_credential'),
    refused('an unknown service', await sign(newSigningKey().pem, { caller: 'mallory' }), 'untrusted_service'),
  ];
}
export { createFlagFile } from './flags.ts';

import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { Writable } from 'node:stream';
import { exportJWK, SignJWT, calculateJwkThumbprint, type JSONWebKeySet } from 'jose';
import pg from 'pg';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../auth.ts';
import { runMigrations } from '../migrate.ts';

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
export async function signTestToken(privateKey: KeyObject, claims: Record<string, unknown>, opts: { expiresAt?: number; issuer?: string; audience?: string } = {}): Promise<string> {
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
export { createFlagFile } from './flags.ts';

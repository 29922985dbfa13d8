import { createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors as joseErrors,
  exportJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { bearerToken, SERVICE_TOKEN_TYPE } from './auth.ts';
import { DomainError } from './errors.ts';

const PREFIX = 'svc:';
const DEFAULT_TTL_SECONDS = 60;
// Tokens older than this are refused whatever their `exp` says, so a caller cannot mint long-lived ones.
const MAX_TOKEN_AGE_SECONDS = 300;
const CLOCK_TOLERANCE_SECONDS = 10;
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

export interface ServiceCredential {
  /** The calling service, as named in `iss` (`svc:<service>`). */
  readonly service: string;
  /** A bearer token for calls to `target`; cached and renewed before it expires. */
  tokenFor(target: string): Promise<string>;
}

export interface ServiceCredentialOptions {
  service: string;
  /** PKCS#8 PEM of the service's Ed25519 private key (`\n` escapes accepted, as env vars carry them). */
  privateKeyPem: string;
  ttlSeconds?: number;
  now?: () => number;
}

/** Validates an Ed25519 private key given as PEM; returns the PEM with real line breaks. For config.ts. */
export function parseServicePrivateKey(value: string): string {
  const pem = value.replaceAll('\\n', '\n');
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error('must be a PEM private key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('must be an Ed25519 private key');
  return pem;
}

export function createServiceCredential(options: ServiceCredentialOptions): ServiceCredential {
  if (!SERVICE_NAME.test(options.service)) throw new Error(`invalid service name "${options.service}"`);
  const privateKey = createPrivateKey(parseServicePrivateKey(options.privateKeyPem));
  const ttl = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  const now = options.now ?? Date.now;
  // Renewed with a third of its life left: a retried call never carries a token about to lapse.
  const renewAfterSeconds = Math.floor((ttl * 2) / 3);
  const kid = exportJWK(createPublicKey(privateKey)).then((jwk) => calculateJwkThumbprint(jwk));
  const cache = new Map<string, { token: Promise<string>; renewAt: number }>();

  async function sign(target: string, issuedAt: number): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA', typ: SERVICE_TOKEN_TYPE, kid: await kid })
      .setIssuer(PREFIX + options.service)
      .setSubject(PREFIX + options.service)
      .setAudience(PREFIX + target)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttl)
      .setJti(randomUUID())
      .sign(privateKey);
  }

  return {
    service: options.service,
    tokenFor(target) {
      const seconds = Math.floor(now() / 1000);
      const hit = cache.get(target);
      if (hit && seconds < hit.renewAt) return hit.token;
      // The promise is cached, so concurrent calls share one signature.
      const token = sign(target, seconds);
      cache.set(target, { token, renewAt: seconds + renewAfterSeconds });
      token.catch(() => cache.get(target)?.token === token && cache.delete(target));
      return token;
    },
  };
}

/** Public keys of the services a callee trusts, by service name; several per name during a key rotation. */
export type TrustedServiceKeys = Readonly<Record<string, readonly JWK[]>>;

/**
 * Parses `{"orders": <Ed25519 public JWK> | [<JWK>, ...], ...}` (the SERVICE_TRUSTED_KEYS setting).
 * Throws an Error saying what is wrong; for config.ts.
 */
export function parseTrustedServiceKeys(value: string): TrustedServiceKeys {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error('must be JSON: {"<service>": <Ed25519 public JWK> or [<JWK>, ...]}');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('must be a JSON object of service name → public key');
  }
  const out: Record<string, JWK[]> = {};
  for (const [name, keys] of Object.entries(parsed)) {
    if (!SERVICE_NAME.test(name)) throw new Error(`has an invalid service name "${name}"`);
    const list: unknown[] = Array.isArray(keys) ? keys : [keys];
    if (list.length === 0) throw new Error(`has no key for "${name}"`);
    out[name] = list.map((k) => {
      const jwk = k as JWK;
      if (!jwk || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
        throw new Error(`has a key for "${name}" that is not an Ed25519 public JWK`);
      }
      if ('d' in jwk) throw new Error(`has a private key for "${name}": only public keys belong there`);
      return { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
    });
  }
  return Object.freeze(out);
}

/** The public JWK of an Ed25519 private key, for building a trusted-keys map (the launcher, tests). */
export async function publicJwkOf(privateKeyPem: string): Promise<JWK> {
  const jwk = await exportJWK(createPublicKey(createPrivateKey(parseServicePrivateKey(privateKeyPem))));
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x! };
}

export interface ServiceIdentity {
  service: string;
  tokenExpiresAt: number;
}

export type ServiceTokenVerifier = (token: string) => Promise<ServiceIdentity>;

export interface ServiceVerifierOptions {
  /** This service: tokens must be addressed to `svc:<service>`. */
  service: string;
  trusted: TrustedServiceKeys;
  cacheSize?: number;
  now?: () => number;
}

const unauthenticated = (code: string, detail: string) => new DomainError(code, 'unauthenticated', detail);
const forbidden = (code: string, detail: string) => new DomainError(code, 'forbidden', detail);

/**
 * Checks a service token. 401 when there is nothing usable to check (unreadable, or expired and only
 * needing renewal); 403 for any other credential this service does not accept: a user's token, an
 * unknown signer, a bad signature, another audience, `alg: none`.
 */
export function createServiceVerifier(options: ServiceVerifierOptions): ServiceTokenVerifier {
  const keysByService = new Map<string, Promise<JWTVerifyGetKey>>();
  for (const [name, keys] of Object.entries(options.trusted)) {
    const withKids = Promise.all(keys.map(async (k) => ({ ...k, kid: await calculateJwkThumbprint(k), alg: 'EdDSA' })));
    keysByService.set(
      name,
      withKids.then((list) => createLocalJWKSet({ keys: list })),
    );
  }
  const now = options.now ?? Date.now;
  const cacheSize = options.cacheSize ?? 1_000;
  const cache = new Map<string, ServiceIdentity>();

  return async (token) => {
    const hit = cache.get(token);
    if (hit) {
      if (hit.tokenExpiresAt * 1000 > now()) return hit;
      cache.delete(token);
    }
    let typ: unknown;
    let iss: unknown;
    try {
      typ = decodeProtectedHeader(token).typ;
      iss = decodeJwt(token).iss;
    } catch {
      throw unauthenticated('malformed_service_credential', 'The service credential is not a readable token.');
    }
    if (typ !== SERVICE_TOKEN_TYPE || typeof iss !== 'string' || !iss.startsWith(PREFIX)) {
      throw forbidden('service_credential_required', 'This route accepts only a service credential, not a user token.');
    }
    const caller = iss.slice(PREFIX.length);
    const keys = keysByService.get(caller);
    if (!keys) throw forbidden('untrusted_service', 'The calling service is not trusted here.');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, await keys, {
        algorithms: ['EdDSA'],
        typ: SERVICE_TOKEN_TYPE,
        issuer: iss,
        audience: PREFIX + options.service,
        requiredClaims: ['iat', 'exp', 'jti'],
        maxTokenAge: MAX_TOKEN_AGE_SECONDS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(now()),
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) {
        throw unauthenticated('service_credential_expired', 'The service credential has expired; sign a new one.');
      }
      throw forbidden('invalid_service_credential', 'The service credential is not accepted here.');
    }
    const identity: ServiceIdentity = { service: caller, tokenExpiresAt: payload.exp! };
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(token, identity);
    return identity;
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    serviceIdentity?: ServiceIdentity;
  }
}

/**
 * Hook for internal routes: a valid service credential from one of `allowed`. Use it as `onRequest`, so
 * a caller without one is refused before its body is parsed or validated (a preHandler also works).
 */
export function requireService(verify: ServiceTokenVerifier, allowed: readonly string[]) {
  const allow = new Set(allowed);
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = bearerToken(req);
    if (!token) {
      throw unauthenticated(
        'missing_service_credential',
        'Send a service credential as "Authorization: Bearer <token>".',
      );
    }
    const identity = await verify(token);
    if (!allow.has(identity.service)) {
      throw forbidden('service_not_allowed', `The ${identity.service} service may not call this route.`);
    }
    req.serviceIdentity = identity;
  };
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { DomainError } from './errors.ts';

export type Role = 'customer' | 'admin';

export interface Identity {
  userId: number;
  role: Role;
  username: string;
  tokenExpiresAt: number;
}

export const TOKEN_ISSUER = 'emporium-users';
export const TOKEN_AUDIENCE = 'emporium';
// Service-to-service tokens carry this typ (RFC 8725 §3.11) so neither kind can pass as the other:
// the user-token verifier below refuses it, the service verifier (service-auth.ts) requires it.
export const SERVICE_TOKEN_TYPE = 'emporium-service+jwt';
// Only the asymmetric algorithm we sign with is accepted: `alg: none` and HMAC confusion are refused.
const ALGORITHMS = ['EdDSA'];

export type TokenVerifier = (token: string) => Promise<Identity>;

export interface VerifierOptions {
  jwksUrl?: string;
  jwks?: JSONWebKeySet;
  /** Verified tokens are remembered until they expire, so hot paths skip the signature check. */
  cacheSize?: number;
}

const unauthenticated = (detail: string) => new DomainError('invalid_token', 'unauthenticated', detail);

export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  let keys: JWTVerifyGetKey;
  if (options.jwks) keys = createLocalJWKSet(options.jwks);
  else if (options.jwksUrl)
    keys = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
  else throw new Error('createTokenVerifier needs jwks or jwksUrl');

  const cacheSize = options.cacheSize ?? 10_000;
  const cache = new Map<string, Identity>();

  return async (token) => {
    const hit = cache.get(token);
    if (hit) {
      if (hit.tokenExpiresAt * 1000 > Date.now()) return hit;
      cache.delete(token);
    }
    let payload;
    let protectedHeader;
    try {
      const checks = { algorithms: ALGORITHMS, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE };
      ({ payload, protectedHeader } = await jwtVerify(token, keys, checks));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw unauthenticated('The access token has expired.');
      // The key set timing out or coming back as garbage is our problem, not the token's: 503, not 401.
      const keysFailed = err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JWKSInvalid;
      if (err instanceof joseErrors.JOSEError && !keysFailed) throw unauthenticated('The access token is invalid.');
      throw new DomainError('auth_unavailable', 'unavailable', 'Token keys could not be loaded.', { cause: err });
    }
    if (protectedHeader.typ === SERVICE_TOKEN_TYPE) throw unauthenticated('The access token is invalid.');
    const userId = Number(payload.sub);
    const role = payload['role'];
    if (!Number.isSafeInteger(userId) || (role !== 'customer' && role !== 'admin') || typeof payload.exp !== 'number') {
      throw unauthenticated('The access token is invalid.');
    }
    const identity: Identity = {
      userId,
      role,
      username: String(payload['username'] ?? ''),
      tokenExpiresAt: payload.exp,
    };
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(token, identity);
    return identity;
  };
}

export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header);
  return match?.[1];
}

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null;
  }
}

/** preHandler hook: the route needs a valid access token. */
export function authenticate(verify: TokenVerifier) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = bearerToken(req);
    if (!token)
      throw new DomainError(
        'missing_token',
        'unauthenticated',
        'Send an access token as "Authorization: Bearer <token>".',
      );
    req.identity = await verify(token);
  };
}

export function requireIdentity(req: FastifyRequest): Identity {
  if (!req.identity) throw new DomainError('missing_token', 'unauthenticated', 'Authentication is required.');
  return req.identity;
}

export const isAdmin = (identity: Identity): boolean => identity.role === 'admin';

/** The one answer for "no such <what>": for a missing row, and (from assertSelfOrAdmin) for someone else's. */
export const notFoundError = (what: string): DomainError =>
  new DomainError(`${what}_not_found`, 'not_found', `No such ${what}.`);

/**
 * A customer may only touch their own resources; an admin may touch any. Others get exactly the answer a
 * missing one gets (same code, detail and shape), so probing ids reveals nothing.
 */
export function assertSelfOrAdmin(identity: Identity, ownerId: number, what = 'resource'): void {
  if (identity.role === 'admin' || identity.userId === ownerId) return;
  throw notFoundError(what);
}

export function assertAdmin(identity: Identity): void {
  if (identity.role !== 'admin') throw new DomainError('admin_only', 'forbidden', 'This action needs the admin role.');
}

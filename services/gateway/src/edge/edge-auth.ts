import type { FastifyInstance } from 'fastify';
import { bearerToken, DomainError, isDomainError, type TokenVerifier } from '@emporium/kit';

declare module 'fastify' {
  interface FastifyRequest {
    /** Why the presented token was refused; the refusal waits until the rate limit has counted the request. */
    tokenError?: DomainError;
  }
}

/**
 * Checks any presented access token at the edge: a bad token never reaches a service. Requests without
 * one pass on, because each service decides which of its routes are public.
 *
 * Two steps around the rate limit: `identifyCaller` runs first, so a good token's budget is the user's;
 * `refuseBadToken` runs after the limit, so a bad token still spends its address's budget.
 */
export function identifyCaller(app: FastifyInstance, verify: TokenVerifier): void {
  app.addHook('onRequest', async (req) => {
    if (req.headers.authorization === undefined) return;
    const token = bearerToken(req);
    if (!token) {
      const detail = 'Send the access token as "Authorization: Bearer <token>".';
      req.tokenError = new DomainError('invalid_token', 'unauthenticated', detail);
      return;
    }
    try {
      req.identity = await verify(token);
    } catch (err) {
      // Only a refused token waits for the limit; keys that cannot be loaded are the gateway's problem (503).
      if (!isDomainError(err) || err.kind !== 'unauthenticated') throw err;
      req.tokenError = err;
    }
  });
}

/** preParsing runs after every onRequest hook, the route-level rate limit included, and before the body is read. */
export function refuseBadToken(app: FastifyInstance): void {
  app.addHook('preParsing', async (req) => {
    if (req.tokenError) throw req.tokenError;
  });
}

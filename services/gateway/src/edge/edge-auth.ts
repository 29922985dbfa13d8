import type { FastifyInstance } from 'fastify';
import { bearerToken, DomainError, type TokenVerifier } from '@emporium/kit';

/**
 * Checks any presented access token at the edge: a bad token never reaches a service. Requests
 * without one pass on, because each service decides which of its routes are public.
 */
export function edgeAuth(app: FastifyInstance, verify: TokenVerifier): void {
  app.addHook('onRequest', async (req) => {
    if (req.headers.authorization === undefined) return;
    const token = bearerToken(req);
    if (!token) throw new DomainError('invalid_token', 'unauthenticated', 'Send the access token as "Authorization: Bearer <token>".');
    req.identity = await verify(token);
  });
}

import type { FastifyInstance } from 'fastify';
import { DomainError, ERRORS, errorResponses, NoContent } from '@emporium/kit';
import type { JSONWebKeySet } from 'jose';
import {
  AcceptedSchema,
  LoginBody,
  RefreshBody,
  ResetConfirmBody,
  ResetRequestBody,
  TokenPairSchema,
} from './auth-schemas.ts';
import type { AuthService } from './auth-service.ts';

export function authRoutes(app: FastifyInstance, auth: AuthService, jwks: JSONWebKeySet): void {
  const tags = ['auth'];

  app.get('/.well-known/jwks.json', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return jwks;
  });

  app.post<{ Body: LoginBody }>(
    '/api/users/login',
    {
      schema: { tags, body: LoginBody, response: { 200: TokenPairSchema, ...errorResponses(ERRORS.body, 401, 429) } },
    },
    async (req) => {
      const identifier = req.body.username ?? req.body.email;
      if (!identifier || (req.body.username && req.body.email)) {
        throw new DomainError('validation_failed', 'validation', 'Send either username or email, with password.', {
          fields: [{ field: 'username', message: 'send username or email' }],
        });
      }
      return auth.login(identifier, req.body.password);
    },
  );

  app.post<{ Body: RefreshBody }>(
    '/api/users/refresh',
    {
      schema: { tags, body: RefreshBody, response: { 200: TokenPairSchema, ...errorResponses(ERRORS.body, 401) } },
    },
    async (req) => auth.refresh(req.body.refresh_token),
  );

  app.post<{ Body: RefreshBody }>(
    '/api/users/logout',
    {
      schema: { tags, body: RefreshBody, response: { 204: NoContent, ...errorResponses(ERRORS.body) } },
    },
    async (req, reply) => {
      await auth.logout(req.body.refresh_token);
      return reply.status(204).send();
    },
  );

  app.post<{ Body: ResetRequestBody }>(
    '/api/users/password-reset',
    {
      schema: { tags, body: ResetRequestBody, response: { 202: AcceptedSchema, ...errorResponses(ERRORS.body) } },
    },
    async (req, reply) => {
      await auth.requestPasswordReset(req.body.email);
      return reply
        .status(202)
        .send({ status: 'accepted', detail: 'If the email belongs to an account, a reset link is on its way.' });
    },
  );

  app.post<{ Body: ResetConfirmBody }>(
    '/api/users/password-reset/confirm',
    {
      schema: { tags, body: ResetConfirmBody, response: { 204: NoContent, ...errorResponses(ERRORS.body) } },
    },
    async (req, reply) => {
      await auth.confirmPasswordReset(req.body.token, req.body.new_password);
      return reply.status(204).send();
    },
  );
}

import type { FastifyInstance } from 'fastify';
import {
  assertAdmin,
  authenticate,
  ERRORS,
  errorResponses,
  NoContent,
  requireIdentity,
  type TokenVerifier,
} from '@emporium/kit';
import { AdminListQuery, AdminPageSchema, IdParams, RegisterBody, UpdateBody, UserSchema } from './user-schemas.ts';
import type { UserService } from './user-service.ts';

export function userRoutes(app: FastifyInstance, users: UserService, verify: TokenVerifier): void {
  const tags = ['users'];
  const secured = { preHandler: authenticate(verify) };
  const security = [{ bearer: [] }];

  app.post<{ Body: RegisterBody }>(
    '/api/users/register',
    {
      schema: { tags, body: RegisterBody, response: { 201: UserSchema, ...errorResponses(ERRORS.body, 409) } },
    },
    async (req, reply) => reply.status(201).send(await users.register(req.body)),
  );

  app.get(
    '/api/users/me',
    {
      ...secured,
      schema: { tags, security, response: { 200: UserSchema, ...errorResponses(ERRORS.signedIn) } },
    },
    async (req) => users.getMe(requireIdentity(req)),
  );

  app.get<{ Querystring: AdminListQuery }>(
    '/api/users',
    {
      ...secured,
      schema: {
        tags,
        security,
        querystring: AdminListQuery,
        response: { 200: AdminPageSchema, ...errorResponses(400, ERRORS.admin) },
      },
    },
    async (req) => {
      assertAdmin(requireIdentity(req));
      return users.listUsers(req.query);
    },
  );

  app.get<{ Params: IdParams }>(
    '/api/users/:id',
    {
      ...secured,
      schema: {
        tags,
        security,
        params: IdParams,
        response: { 200: UserSchema, ...errorResponses(400, ERRORS.signedIn, 404) },
      },
    },
    async (req) => users.getUser(requireIdentity(req), req.params.id),
  );

  app.put<{ Params: IdParams; Body: UpdateBody }>(
    '/api/users/:id',
    {
      ...secured,
      schema: {
        tags,
        security,
        params: IdParams,
        body: UpdateBody,
        response: { 200: UserSchema, ...errorResponses(ERRORS.body, ERRORS.signedIn, 403, 404, 409) },
      },
    },
    async (req) => users.updateUser(requireIdentity(req), req.params.id, req.body),
  );

  app.delete<{ Params: IdParams }>(
    '/api/users/:id',
    {
      ...secured,
      schema: {
        tags,
        security,
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(400, ERRORS.signedIn, 404) },
      },
    },
    async (req, reply) => {
      await users.deleteUser(requireIdentity(req), req.params.id);
      return reply.status(204).send();
    },
  );
}

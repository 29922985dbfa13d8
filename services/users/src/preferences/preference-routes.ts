import type { FastifyInstance } from 'fastify';
import {
  authenticate,
  requireIdentity,
  requireService,
  type ServiceTokenVerifier,
  type TokenVerifier,
} from '@emporium/kit';
import {
  AddTokenResponses,
  PreferencesBody,
  PushTokenBody,
  RecipientSchema,
  RemoveTokenResponses,
  SettingsResponses,
  TokenParams,
  UpdateResponses,
  UserParams,
} from './preference-schemas.ts';
import type { PreferenceService } from './preference-service.ts';

export function preferenceRoutes(
  app: FastifyInstance,
  prefs: PreferenceService,
  verify: TokenVerifier,
  verifyService: ServiceTokenVerifier,
): void {
  const tags = ['users'];
  const security = [{ bearer: [] }];
  const secured = { preHandler: authenticate(verify) };
  const base = '/api/users/:id/notification-settings';

  app.get<{ Params: UserParams }>(
    base,
    { ...secured, schema: { tags, security, params: UserParams, response: SettingsResponses } },
    async (req) => prefs.get(requireIdentity(req), req.params.id),
  );

  app.put<{ Params: UserParams; Body: PreferencesBody }>(
    base,
    { ...secured, schema: { tags, security, params: UserParams, body: PreferencesBody, response: UpdateResponses } },
    async (req) => prefs.update(requireIdentity(req), req.params.id, req.body),
  );

  app.post<{ Params: UserParams; Body: PushTokenBody }>(
    '/api/users/:id/push-tokens',
    { ...secured, schema: { tags, security, params: UserParams, body: PushTokenBody, response: AddTokenResponses } },
    async (req, reply) =>
      reply
        .status(201)
        .send(await prefs.addPushToken(requireIdentity(req), req.params.id, req.body.token, req.body.platform)),
  );

  app.delete<{ Params: TokenParams }>(
    '/api/users/:id/push-tokens/:token',
    { ...secured, schema: { tags, security, params: TokenParams, response: RemoveTokenResponses } },
    async (req, reply) => {
      await prefs.removePushToken(requireIdentity(req), req.params.id, req.params.token);
      return reply.status(204).send();
    },
  );

  // The notification service's lookup (decision 0009: its own service credential, nobody else's).
  app.get<{ Params: UserParams }>(
    '/internal/users/:id/recipient',
    {
      onRequest: requireService(verifyService, ['notifications']),
      schema: { hide: true, params: UserParams, response: { 200: RecipientSchema } },
    },
    async (req) => prefs.recipient(req.params.id),
  );
}

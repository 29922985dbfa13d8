import type { FastifyInstance } from 'fastify';
import { assertAdmin, authenticate, requireIdentity, type TokenVerifier } from '@emporium/kit';
import {
  DeliveriesResponses,
  DeliveryQuery,
  DeliveryResponses,
  IdParams,
  MessagesResponses,
  PageQuery,
  RetryResponses,
  SendBody,
  SendResponses,
} from './delivery-schemas.ts';
import type { DeliveryService } from './delivery-service.ts';

export function deliveryRoutes(app: FastifyInstance, deliveries: DeliveryService, verify: TokenVerifier): void {
  const tags = ['notifications'];
  const security = [{ bearer: [] }];
  const signedIn = { preHandler: authenticate(verify) };
  const admin = {
    preHandler: [
      authenticate(verify),
      async (req: Parameters<typeof requireIdentity>[0]) => assertAdmin(requireIdentity(req)),
    ],
  };

  app.get<{ Querystring: PageQuery }>(
    '/api/notifications',
    { ...signedIn, schema: { tags, security, querystring: PageQuery, response: MessagesResponses } },
    async (req) => deliveries.listOwn(requireIdentity(req), req.query.limit, req.query.cursor),
  );

  app.get<{ Querystring: DeliveryQuery }>(
    '/api/notifications/deliveries',
    { ...admin, schema: { tags, security, querystring: DeliveryQuery, response: DeliveriesResponses } },
    async (req) => {
      const { limit, cursor, user_id, event_id, order_id, ...rest } = req.query;
      return deliveries.list({ ...rest, userId: user_id, eventId: event_id, orderId: order_id }, limit, cursor);
    },
  );

  app.get<{ Params: IdParams }>(
    '/api/notifications/deliveries/:id',
    { ...admin, schema: { tags, security, params: IdParams, response: DeliveryResponses } },
    async (req) => deliveries.get(req.params.id),
  );

  app.post<{ Params: IdParams }>(
    '/api/notifications/deliveries/:id/retry',
    { ...admin, schema: { tags, security, params: IdParams, response: RetryResponses } },
    async (req) => deliveries.retry(req.params.id),
  );

  app.post<{ Body: SendBody }>(
    '/api/notifications/send',
    { ...admin, schema: { tags, security, body: SendBody, response: SendResponses } },
    async (req, reply) => reply.status(202).send(await deliveries.send(requireIdentity(req), req.body)),
  );
}

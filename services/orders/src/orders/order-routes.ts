import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertAdmin, authenticate, DomainError, requireIdentity, type TokenVerifier } from '@emporium/kit';
import { answerFor, type CheckoutService } from '../checkout/checkout-service.ts';
import {
  AdminListQuery,
  AdminListResponses,
  CancelResponses,
  IdParams,
  PageQuery,
  PageResponses,
  PlaceOrderBody,
  PlaceOrderResponses,
  ReadResponses,
  StatusBody,
  StatusResponses,
  UserParams,
} from './order-schemas.ts';
import type { OrderService } from './order-service.ts';

const KEY = /^[A-Za-z0-9._:-]{1,100}$/;

function idempotencyKeyOf(req: FastifyRequest): string | undefined {
  const key = req.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw new DomainError(
      'invalid_idempotency_key',
      'validation',
      'Idempotency-Key must be 1 to 100 letters, digits or . _ : -',
      { fields: [{ field: 'Idempotency-Key', message: 'is malformed' }] },
    );
  }
  return key;
}

export function orderRoutes(
  app: FastifyInstance,
  checkout: CheckoutService,
  orders: OrderService,
  verify: TokenVerifier,
): void {
  const tags = ['orders'];
  const security = [{ bearer: [] }];
  const signedIn = { preHandler: authenticate(verify) };

  app.post<{ Body: PlaceOrderBody }>(
    '/api/orders',
    {
      ...signedIn,
      schema: { tags, security, body: PlaceOrderBody, response: PlaceOrderResponses },
    },
    async (req, reply) => {
      const order = await checkout.placeOrder(requireIdentity(req).userId, req.body, idempotencyKeyOf(req));
      const answer = answerFor(order);
      return reply.status(answer.status).send(answer.order);
    },
  );

  app.get<{ Querystring: AdminListQuery }>(
    '/api/orders',
    {
      ...signedIn,
      schema: { tags, security, querystring: AdminListQuery, response: AdminListResponses },
    },
    async (req) => {
      assertAdmin(requireIdentity(req));
      return orders.listAll(req.query);
    },
  );

  app.get<{ Params: UserParams; Querystring: PageQuery }>(
    '/api/orders/user/:userId',
    {
      ...signedIn,
      schema: { tags, security, params: UserParams, querystring: PageQuery, response: PageResponses },
    },
    async (req) => orders.listByUser(requireIdentity(req), req.params.userId, req.query.limit, req.query.cursor),
  );

  app.get<{ Params: IdParams }>(
    '/api/orders/:id',
    {
      ...signedIn,
      schema: { tags, security, params: IdParams, response: ReadResponses },
    },
    async (req) => orders.get(requireIdentity(req), req.params.id),
  );

  app.patch<{ Params: IdParams; Body: StatusBody }>(
    '/api/orders/:id/status',
    {
      ...signedIn,
      schema: { tags, security, params: IdParams, body: StatusBody, response: StatusResponses },
    },
    async (req) => {
      const identity = requireIdentity(req);
      assertAdmin(identity);
      return orders.changeStatus(identity, req.params.id, req.body.status);
    },
  );

  app.delete<{ Params: IdParams }>(
    '/api/orders/:id',
    {
      ...signedIn,
      schema: { tags, security, params: IdParams, response: CancelResponses },
    },
    async (req) => orders.cancel(requireIdentity(req), req.params.id),
  );
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  assertAdmin,
  authenticate,
  ERRORS,
  errorResponses,
  requireIdentity,
  requireService,
  type ServiceTokenVerifier,
  type TokenVerifier,
} from '@emporium/kit';
import { DEFAULT_PAYMENT_METHOD } from '../providers/provider.ts';
import { IdParams, OrderParams, PaymentSchema, ProcessBody, RefundBody } from './payment-schemas.ts';
import type { PaymentService } from './payment-service.ts';

type Req<B> = FastifyRequest<{ Body: B }>;

export function paymentRoutes(
  app: FastifyInstance,
  payments: PaymentService,
  verify: TokenVerifier,
  verifyService: ServiceTokenVerifier,
): void {
  const tags = ['payments'];
  const security = [{ bearer: [] }];
  const signedIn = authenticate(verify);
  const adminOnly = [signedIn, async (req: FastifyRequest) => assertAdmin(requireIdentity(req))];

  const process = async (req: Req<ProcessBody>, reply: FastifyReply) => {
    const { payment, created } = await payments.process({
      ...req.body,
      payment_method: req.body.payment_method ?? DEFAULT_PAYMENT_METHOD,
    });
    return reply.status(created ? 201 : 200).send(payment);
  };
  const refund = async (req: Req<RefundBody>) =>
    payments.refund(req.body.payment_id, req.body.amount, idempotencyKeyOf(req));

  // The order service's entrance, for its service credential only (checked before the body is read);
  // the gateway does not route it either.
  const onRequest = requireService(verifyService, ['orders']);
  const internal = { tags: ['internal'], hide: true };
  const processSchema = { ...internal, body: ProcessBody };
  app.post<{ Body: ProcessBody }>('/internal/payments/process', { onRequest, schema: processSchema }, process);
  const refundSchema = { ...internal, body: RefundBody };
  app.post<{ Body: RefundBody }>('/internal/payments/refund', { onRequest, schema: refundSchema }, refund);
  app.post<{ Body: ProcessBody }>('/internal/payments/void', { onRequest, schema: processSchema }, async (req) =>
    payments.voidOrder({ ...req.body, payment_method: req.body.payment_method ?? DEFAULT_PAYMENT_METHOD }),
  );
  const byOrder = { onRequest, schema: { ...internal, params: OrderParams } };
  app.get<{ Params: OrderParams }>('/internal/payments/order/:orderId', byOrder, async (req) =>
    payments.getByOrder('service', req.params.orderId),
  );

  // The same operations for admins through the gateway.
  app.post<{ Body: ProcessBody }>(
    '/api/payments/process',
    {
      preHandler: adminOnly,
      schema: {
        tags,
        security,
        body: ProcessBody,
        response: { 200: PaymentSchema, 201: PaymentSchema, ...errorResponses(ERRORS.body, ERRORS.admin, 402, 409) },
      },
    },
    process,
  );
  app.post<{ Body: RefundBody }>(
    '/api/payments/refund',
    {
      preHandler: adminOnly,
      schema: {
        tags,
        security,
        body: RefundBody,
        response: { 200: PaymentSchema, ...errorResponses(ERRORS.body, ERRORS.admin, 404, 409) },
      },
    },
    refund,
  );
  app.get<{ Params: IdParams }>(
    '/api/payments/:id',
    {
      preHandler: signedIn,
      schema: {
        tags,
        security,
        params: IdParams,
        response: { 200: PaymentSchema, ...errorResponses(400, ERRORS.signedIn, 404) },
      },
    },
    async (req) => payments.get(requireIdentity(req), req.params.id),
  );
  app.get<{ Params: OrderParams }>(
    '/api/payments/order/:orderId',
    {
      preHandler: signedIn,
      schema: {
        tags,
        security,
        params: OrderParams,
        response: { 200: PaymentSchema, ...errorResponses(400, ERRORS.signedIn, 404) },
      },
    },
    async (req) => payments.getByOrder(requireIdentity(req), req.params.orderId),
  );
}

function idempotencyKeyOf(req: FastifyRequest): string | undefined {
  const key = req.headers['idempotency-key'];
  return typeof key === 'string' && /^[A-Za-z0-9._:-]{1,100}$/.test(key) ? key : undefined;
}

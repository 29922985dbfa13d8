import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import type { ReservationService } from './reservation-service.ts';

const OrderParams = Type.Object({ orderId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
type OrderParams = Static<typeof OrderParams>;
const ReserveBody = Type.Object(
  {
    order_id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    lines: Type.Array(
      Type.Object({ product_id: Type.Integer({ minimum: 1 }), quantity: Type.Integer({ minimum: 1, maximum: 10_000 }) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);
type ReserveBody = Static<typeof ReserveBody>;

/**
 * Internal API for the order service. The gateway routes only /api/*, so these are unreachable from
 * outside; in Kubernetes a NetworkPolicy also limits who may call the products service at all.
 */
export function reservationRoutes(app: FastifyInstance, reservations: ReservationService): void {
  const schema = { tags: ['internal'], hide: true };
  app.post<{ Body: ReserveBody }>('/internal/reservations', { schema: { ...schema, body: ReserveBody } }, async (req) => reservations.reserve(req.body.order_id, req.body.lines));
  app.get<{ Params: OrderParams }>('/internal/reservations/:orderId', { schema: { ...schema, params: OrderParams } }, async (req) => reservations.get(req.params.orderId));
  app.post<{ Params: OrderParams }>('/internal/reservations/:orderId/commit', { schema: { ...schema, params: OrderParams } }, async (req) => reservations.commit(req.params.orderId));
  app.post<{ Params: OrderParams }>('/internal/reservations/:orderId/finalize', { schema: { ...schema, params: OrderParams } }, async (req) => reservations.finalize(req.params.orderId));
  app.post<{ Params: OrderParams }>('/internal/reservations/:orderId/release', { schema: { ...schema, params: OrderParams } }, async (req) => reservations.release(req.params.orderId));
}

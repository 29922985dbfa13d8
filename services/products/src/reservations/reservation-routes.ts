import type { FastifyInstance } from 'fastify';
import { requireService, type ServiceTokenVerifier } from '@emporium/kit';
import { Type, type Static } from 'typebox';
import type { ReservationService } from './reservation-service.ts';

const OrderParams = Type.Object({ orderId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
type OrderParams = Static<typeof OrderParams>;
const ReserveBody = Type.Object(
  {
    order_id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    lines: Type.Array(
      Type.Object(
        { product_id: Type.Integer({ minimum: 1 }), quantity: Type.Integer({ minimum: 1, maximum: 10_000 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);
type ReserveBody = Static<typeof ReserveBody>;

/**
 * Internal API for the order service, and only for it: each call carries its service credential. The
 * gateway routes only /api/*, so these are unreachable from outside as well.
 */
export function reservationRoutes(
  app: FastifyInstance,
  reservations: ReservationService,
  verifyService: ServiceTokenVerifier,
): void {
  // onRequest: a caller without the credential learns nothing, not even whether its body was valid.
  const onRequest = requireService(verifyService, ['orders']);
  const schema = { tags: ['internal'], hide: true };
  const body = { onRequest, schema: { ...schema, body: ReserveBody } };
  const params = { onRequest, schema: { ...schema, params: OrderParams } };
  type Params = { Params: OrderParams };
  app.post<{ Body: ReserveBody }>('/internal/reservations', body, async (req) =>
    reservations.reserve(req.body.order_id, req.body.lines),
  );
  app.get<Params>('/internal/reservations/:orderId', params, async (req) => reservations.get(req.params.orderId));
  app.post<Params>('/internal/reservations/:orderId/commit', params, async (req) =>
    reservations.commit(req.params.orderId),
  );
  app.post<Params>('/internal/reservations/:orderId/finalize', params, async (req) =>
    reservations.finalize(req.params.orderId),
  );
  app.post<Params>('/internal/reservations/:orderId/release', params, async (req) =>
    reservations.release(req.params.orderId),
  );
}

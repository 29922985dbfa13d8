import { ERRORS, errorResponses } from '@emporium/kit';
import { Type, type Static } from 'typebox';

const Address = Type.Object(
  {
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    region: Type.Optional(Type.String({ maxLength: 100 })),
    postal_code: Type.Optional(Type.String({ maxLength: 20 })),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
  },
  { additionalProperties: false },
);

// Prices, totals and statuses a client sends are ignored: only these fields are read.
export const PlaceOrderBody = Type.Object({
  items: Type.Array(
    Type.Object({
      product_id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
      quantity: Type.Integer({ minimum: 1, maximum: 1_000 }),
    }),
    { minItems: 1, maxItems: 50 },
  ),
  shipping_address: Address,
  payment_method: Type.Optional(Type.String({ pattern: '^pm_[A-Za-z0-9_]{1,60}$' })),
});
export type PlaceOrderBody = Static<typeof PlaceOrderBody>;

const Item = Type.Object({
  product_id: Type.Integer(),
  product_name: Type.String(),
  category: Type.String(),
  quantity: Type.Integer(),
  price: Type.Number(),
});

export const OrderSchema = Type.Object({
  id: Type.Integer(),
  user_id: Type.Integer(),
  status: Type.String(),
  total_amount: Type.Number(),
  shipping_address: Type.Object({
    line1: Type.String(),
    line2: Type.Optional(Type.String()),
    city: Type.String(),
    region: Type.Optional(Type.String()),
    postal_code: Type.Optional(Type.String()),
    country: Type.String(),
  }),
  payment_id: Type.Union([Type.String(), Type.Null()]),
  items: Type.Array(Item),
  cancel_reason: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const StatusBody = Type.Object(
  { status: Type.Union(['pending', 'processing', 'shipped', 'delivered', 'cancelled'].map((s) => Type.Literal(s))) },
  { additionalProperties: false },
);
export type StatusBody = { status: 'pending' | 'processing' | 'shipped' | 'delivered' | 'cancelled' };

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
export type IdParams = Static<typeof IdParams>;
export const UserParams = Type.Object({ userId: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
export type UserParams = Static<typeof UserParams>;
export const PageQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type PageQuery = Static<typeof PageQuery>;
// The admin list: filters on top of the page. `from` is inclusive and `to` exclusive, both on created_at.
const Instant = Type.Union([Type.String({ format: 'date' }), Type.String({ format: 'date-time' })], {
  description: 'A date (midnight UTC) or an ISO 8601 date-time',
});
export const AdminListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
    status: Type.Optional(
      Type.Union(['pending', 'processing', 'shipped', 'delivered', 'cancelled'].map((s) => Type.Literal(s))),
    ),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'An order or user id, or text in a product name or the shipping address',
      }),
    ),
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
  },
  { additionalProperties: false },
);
export type AdminListQuery = {
  limit: number;
  cursor?: string;
  status?: 'pending' | 'processing' | 'shipped' | 'delivered' | 'cancelled';
  q?: string;
  from?: string;
  to?: string;
};

export const PageSchema = Type.Object({
  items: Type.Array(OrderSchema),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

// What each route answers, errors included (the calls to products and payments can fail with 502/504).
export const PlaceOrderResponses = {
  201: OrderSchema,
  202: OrderSchema,
  ...errorResponses(ERRORS.body, ERRORS.signedIn, 402, 409, 502, 504),
};
export const ReadResponses = { 200: OrderSchema, ...errorResponses(400, ERRORS.signedIn, 404) };
export const AdminListResponses = { 200: PageSchema, ...errorResponses(400, ERRORS.admin) };
export const PageResponses = { 200: PageSchema, ...errorResponses(400, ERRORS.signedIn, 404) };
export const StatusResponses = { 200: OrderSchema, ...errorResponses(ERRORS.body, ERRORS.admin, 404, 409, 502, 504) };
export const CancelResponses = { 200: OrderSchema, ...errorResponses(400, ERRORS.signedIn, 404, 409, 502, 504) };

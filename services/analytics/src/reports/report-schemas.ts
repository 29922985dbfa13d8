import { ERRORS, errorResponses } from '@emporium/kit';
import { Type, type Static } from 'typebox';

const Time = Type.String({ format: 'date-time' });
const Amount = Type.Number({ description: 'two decimals' });
const Meta = { revision: Type.Integer({ minimum: 1 }), received_at: Time };
const WindowOf = { window_start: Time, window_end: Time };

export const SummarySchema = Type.Object({
  ...WindowOf,
  orders_placed: Type.Integer(),
  orders_paid: Type.Integer(),
  revenue: Amount,
  average_order_value: Amount,
  ...Meta,
});
export const TopProductSchema = Type.Object({
  rank: Type.Integer(),
  product_id: Type.Integer(),
  product_name: Type.String(),
  quantity: Type.Integer(),
  revenue: Amount,
  ...Meta,
});
export const RegionSchema = Type.Object({
  region: Type.String(),
  orders_paid: Type.Integer(),
  revenue: Amount,
  ...Meta,
});
export const HourSchema = Type.Object({
  hour: Type.Integer({ minimum: 0, maximum: 23 }),
  orders_paid: Type.Integer(),
  revenue: Amount,
});
export const AnomalySchema = Type.Object({
  ...WindowOf,
  metric: Type.String(),
  value: Type.Number(),
  expected: Type.Number(),
  reason: Type.String(),
  ...Meta,
});

export const WindowSchema = Type.Object({
  ...WindowOf,
  summary: Type.Union([SummarySchema, Type.Null()]),
  top_products: Type.Array(TopProductSchema),
  regions: Type.Array(RegionSchema),
  peak_hours: Type.Array(Type.Object({ ...HourSchema.properties, ...Meta })),
  anomalies: Type.Array(AnomalySchema),
});

const page = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({ items: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) });

export const SummaryPage = page(SummarySchema);
export const TopProductsPage = page(Type.Object({ ...WindowOf, products: Type.Array(TopProductSchema) }));
export const RegionTotalsPage = page(
  Type.Object({
    region: Type.String(),
    orders_paid: Type.Integer(),
    revenue: Amount,
    windows: Type.Integer({ description: 'windows with paid orders from this region' }),
  }),
);
export const AnomalyPage = page(AnomalySchema);
export const PeakHoursSchema = Type.Object({
  from: Type.Union([Time, Type.Null()]),
  to: Type.Union([Time, Type.Null()]),
  peak_hour: Type.Union([Type.Integer({ minimum: 0, maximum: 23 }), Type.Null()]),
  hours: Type.Array(HourSchema, { minItems: 24, maxItems: 24 }),
});

const range = {
  from: Type.Optional(Type.String({ format: 'date-time', description: 'windows starting at or after (inclusive)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'windows starting before (exclusive)' })),
};
const paging = {
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};
export const RangeQuery = Type.Object(range, { additionalProperties: false });
export type RangeQuery = Static<typeof RangeQuery>;
export const PageQuery = Type.Object({ ...range, ...paging }, { additionalProperties: false });
export type PageQuery = Static<typeof PageQuery>;
export const AnomalyQuery = Type.Object(
  { ...range, ...paging, metric: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' })) },
  { additionalProperties: false },
);
export type AnomalyQuery = Static<typeof AnomalyQuery>;
export const WindowParams = Type.Object({ windowStart: Type.String({ format: 'date-time' }) });
export type WindowParams = Static<typeof WindowParams>;

// Every route is for admins; a query that breaks its schema, or a range that ends before it starts, is a 400.
export const responses = (ok: unknown, ...more: Array<404>) => ({
  200: ok,
  ...errorResponses(400, ERRORS.admin, ...more),
});

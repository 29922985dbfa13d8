import { Type, type TSchema } from 'typebox';

// The fields every order-topic event carries (SPEC "Events"); each event type adds its own.
export const Money = Type.Number({
  minimum: 0,
  maximum: 100_000_000,
  description: 'two decimals; compute in integer cents',
});

export const EventItem = Type.Object(
  {
    product_id: Type.Integer({ minimum: 1 }),
    product_name: Type.String({ minLength: 1 }),
    category: Type.String({ minLength: 1 }),
    quantity: Type.Integer({ minimum: 1 }),
    price: Money,
  },
  { additionalProperties: false },
);

export const OrderStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('processing'),
  Type.Literal('shipped'),
  Type.Literal('delivered'),
  Type.Literal('cancelled'),
]);

const base = {
  event_id: Type.String({ format: 'uuid' }),
  order_id: Type.Integer({ minimum: 1 }),
  user_id: Type.Integer({ minimum: 1 }),
  total_amount: Money,
  status: OrderStatus,
  items: Type.Array(EventItem, { minItems: 1 }),
  region: Type.String({ minLength: 2, maxLength: 2, description: 'shipping country, ISO 3166-1 alpha-2' }),
  timestamp: Type.String({ format: 'date-time' }),
};

/**
 * One event type at one version. Consumers accept unknown extra fields (producers may add fields
 * within a version); removing or changing a field is a new version.
 */
export function eventSchema<T extends string, V extends number, P extends Record<string, TSchema>>(
  type: T,
  version: V,
  extra: P,
) {
  return Type.Object({ ...base, event_type: Type.Literal(type), event_version: Type.Literal(version), ...extra });
}

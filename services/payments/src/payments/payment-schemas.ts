import { Type, type Static } from 'typebox';

const Money = Type.Number({ exclusiveMinimum: 0, maximum: 99_999_999.99 });

export const PaymentSchema = Type.Object({
  id: Type.Integer(),
  order_id: Type.Integer(),
  user_id: Type.Integer(),
  amount: Type.Number(),
  payment_method: Type.Union([Type.String(), Type.Null()]),
  transaction_id: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  refunded_amount: Type.Number(),
  failure_code: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const ProcessBody = Type.Object(
  {
    order_id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
    amount: Money,
    payment_method: Type.Optional(Type.String({ pattern: '^pm_[A-Za-z0-9_]{1,60}$' })),
    // The order facts payment events carry; the order service sends them with the charge.
    order: Type.Object(
      {
        user_id: Type.Integer({ minimum: 1 }),
        total_amount: Money,
        region: Type.String({ pattern: '^[A-Z]{2}$' }),
        items: Type.Array(
          Type.Object(
            {
              product_id: Type.Integer({ minimum: 1 }),
              product_name: Type.String({ minLength: 1 }),
              category: Type.String({ minLength: 1 }),
              quantity: Type.Integer({ minimum: 1 }),
              price: Type.Number({ minimum: 0 }),
            },
            { additionalProperties: false },
          ),
          { minItems: 1, maxItems: 100 },
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type ProcessBody = Static<typeof ProcessBody>;

export const RefundBody = Type.Object(
  { payment_id: Type.Integer({ minimum: 1 }), amount: Type.Optional(Money) },
  { additionalProperties: false },
);
export type RefundBody = Static<typeof RefundBody>;

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
export type IdParams = Static<typeof IdParams>;
export const OrderParams = Type.Object({ orderId: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
export type OrderParams = Static<typeof OrderParams>;

import { Type, type Static } from 'typebox';
import { Count, resultSchema, SignedMoney } from './result-envelope.ts';

/** One ranked product of a window's top 10 by quantity paid: one message per rank. */
export const TopProductV1 = resultSchema('top_products', {
  rank: Type.Integer({ minimum: 1, maximum: 100 }),
  product_id: Type.Integer({ minimum: 1 }),
  product_name: Type.String({ minLength: 1, maxLength: 500 }),
  quantity: Count,
  revenue: SignedMoney,
});
export type TopProductV1 = Static<typeof TopProductV1>;

export const topProductV1Example: TopProductV1 = {
  result_type: 'top_products',
  window_start: '2025-11-23T10:30:00.000Z',
  window_end: '2025-11-23T10:35:00.000Z',
  rank: 1,
  product_id: 42,
  product_name: 'Ceramic Salt & Pepper Mill',
  quantity: 7,
  revenue: 699.93,
};

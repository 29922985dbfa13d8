import { Type, type Static } from 'typebox';
import { Count, resultSchema, SignedMoney } from './result-envelope.ts';

/** Paid orders and revenue of one shipping country in a window: one message per region. */
export const OrdersByRegionV1 = resultSchema('orders_by_region', {
  region: Type.String({ minLength: 2, maxLength: 2, description: 'shipping country, ISO 3166-1 alpha-2' }),
  orders_paid: Count,
  revenue: SignedMoney,
});
export type OrdersByRegionV1 = Static<typeof OrdersByRegionV1>;

export const ordersByRegionV1Example: OrdersByRegionV1 = {
  result_type: 'orders_by_region',
  window_start: '2025-11-23T10:30:00.000Z',
  window_end: '2025-11-23T10:35:00.000Z',
  region: 'GB',
  orders_paid: 4,
  revenue: 419.96,
};

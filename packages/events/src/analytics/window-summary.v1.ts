import type { Static } from 'typebox';
import { Count, resultSchema, SignedMoney } from './result-envelope.ts';

/** A window's totals: placed and paid orders, revenue (paid − refunded), revenue per paid order. One per window. */
export const WindowSummaryV1 = resultSchema('window_summary', {
  orders_placed: Count,
  orders_paid: Count,
  revenue: SignedMoney,
  average_order_value: SignedMoney,
});
export type WindowSummaryV1 = Static<typeof WindowSummaryV1>;

export const windowSummaryV1Example: WindowSummaryV1 = {
  result_type: 'window_summary',
  window_start: '2025-11-23T10:30:00.000Z',
  window_end: '2025-11-23T10:35:00.000Z',
  orders_placed: 12,
  orders_paid: 10,
  revenue: 1049.9,
  average_order_value: 104.99,
};

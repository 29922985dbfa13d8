import { Type, type Static } from 'typebox';
import { Count, resultSchema, SignedMoney } from './result-envelope.ts';

/** Paid orders and revenue in one hour of the day (UTC) within the window; summed by hour, they give the peaks. */
export const PeakHoursV1 = resultSchema('peak_hours', {
  hour: Type.Integer({ minimum: 0, maximum: 23 }),
  orders_paid: Count,
  revenue: SignedMoney,
});
export type PeakHoursV1 = Static<typeof PeakHoursV1>;

export const peakHoursV1Example: PeakHoursV1 = {
  result_type: 'peak_hours',
  window_start: '2025-11-23T10:30:00.000Z',
  window_end: '2025-11-23T10:35:00.000Z',
  hour: 10,
  orders_paid: 10,
  revenue: 1049.9,
};

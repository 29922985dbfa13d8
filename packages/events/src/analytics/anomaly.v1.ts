import { Type, type Static } from 'typebox';
import { resultSchema } from './result-envelope.ts';

/**
 * A metric of the window that strays far from its own recent history (the rule is in analytics/README.md).
 * One message per metric that fired.
 */
export const AnomalyV1 = resultSchema('anomaly', {
  metric: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$', description: 'e.g. orders_placed, revenue, decline_share' }),
  value: Type.Number(),
  expected: Type.Number(),
  reason: Type.String({ minLength: 1, maxLength: 1000 }),
});
export type AnomalyV1 = Static<typeof AnomalyV1>;

export const anomalyV1Example: AnomalyV1 = {
  result_type: 'anomaly',
  window_start: '2025-11-23T10:30:00.000Z',
  window_end: '2025-11-23T10:35:00.000Z',
  metric: 'orders_placed',
  value: 48,
  expected: 11.5,
  reason: 'z-score 4.2 against the previous 12 windows (mean 11.5, sd 8.7)',
};

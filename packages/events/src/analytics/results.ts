import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from 'typebox';
import { InvalidEventError } from '../registry.ts';
import { AnomalyV1, anomalyV1Example, type AnomalyV1 as AnomalyV1T } from './anomaly.v1.ts';
import {
  OrdersByRegionV1,
  ordersByRegionV1Example,
  type OrdersByRegionV1 as OrdersByRegionV1T,
} from './orders-by-region.v1.ts';
import { PeakHoursV1, peakHoursV1Example, type PeakHoursV1 as PeakHoursV1T } from './peak-hours.v1.ts';
import { TopProductV1, topProductV1Example, type TopProductV1 as TopProductV1T } from './top-products.v1.ts';
import {
  WindowSummaryV1,
  windowSummaryV1Example,
  type WindowSummaryV1 as WindowSummaryV1T,
} from './window-summary.v1.ts';

export type AnalyticsResult = WindowSummaryV1T | TopProductV1T | OrdersByRegionV1T | PeakHoursV1T | AnomalyV1T;
export type ResultType = AnalyticsResult['result_type'];

interface ResultContract {
  schema: TSchema;
  example: AnalyticsResult;
}

/** Every result type and version the Flink job publishes to `analytics-results`, with an example each. */
export const resultContracts: Record<string, ResultContract> = {
  'window_summary@1': { schema: WindowSummaryV1, example: windowSummaryV1Example },
  'top_products@1': { schema: TopProductV1, example: topProductV1Example },
  'orders_by_region@1': { schema: OrdersByRegionV1, example: ordersByRegionV1Example },
  'peak_hours@1': { schema: PeakHoursV1, example: peakHoursV1Example },
  'anomaly@1': { schema: AnomalyV1, example: anomalyV1Example },
};

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const validators = new Map<string, ValidateFunction>(
  Object.entries(resultContracts).map(([k, c]) => [k, ajv.compile(c.schema)]),
);

/** Checks a value against the contract its own result_type (and result_version, 1 when absent) names. */
export function parseAnalyticsResult(value: unknown): AnalyticsResult {
  const v = value as { result_type?: unknown; result_version?: unknown } | null;
  const key = `${String(v?.result_type)}@${String(v?.result_version ?? 1)}`;
  const validate = validators.get(key);
  if (!validate) throw new InvalidEventError([`unknown result type or version ${key}`]);
  if (!validate(value))
    throw new InvalidEventError((validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`));
  const result = value as AnalyticsResult;
  if (Date.parse(result.window_end) <= Date.parse(result.window_start))
    throw new InvalidEventError(['/window_end must be after window_start']);
  return result;
}

/** What a result is within its window: the rank, region, hour or metric; '' for the one summary. */
export function resultItemKey(result: AnalyticsResult): string {
  switch (result.result_type) {
    case 'window_summary':
      return '';
    case 'top_products':
      return String(result.rank);
    case 'orders_by_region':
      return result.region;
    case 'peak_hours':
      return String(result.hour);
    case 'anomaly':
      return result.metric;
  }
}

/** The Kafka key SPEC gives result messages: the result type and the window start. */
export const resultMessageKey = (result: AnalyticsResult): string => `${result.result_type}:${result.window_start}`;

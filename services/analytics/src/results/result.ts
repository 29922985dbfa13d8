import { resultItemKey, type AnalyticsResult, type ResultType } from '@emporium/events';

/** A result as this service keeps it: its key (type, window, item) and the type's own fields. */
export interface StoredResult {
  resultType: ResultType;
  windowStart: string;
  windowEnd: string;
  itemKey: string;
  payload: Record<string, string | number>;
}

export interface ResultRow {
  id: number;
  result_type: ResultType;
  window_start: Date;
  window_end: Date;
  item_key: string;
  payload: Record<string, string | number>;
  revision: number;
  seq: number;
  received_at: Date;
}

/** What the API and the stream show: the message's own shape, plus when it arrived and its revision. */
export type ResultView = {
  result_type: ResultType;
  window_start: string;
  window_end: string;
  revision: number;
  received_at: string;
} & Record<string, string | number>;

const FIELDS: Record<ResultType, string[]> = {
  window_summary: ['orders_placed', 'orders_paid', 'revenue', 'average_order_value'],
  top_products: ['rank', 'product_id', 'product_name', 'quantity', 'revenue'],
  orders_by_region: ['region', 'orders_paid', 'revenue'],
  peak_hours: ['hour', 'orders_paid', 'revenue'],
  anomaly: ['metric', 'value', 'expected', 'reason'],
};
const MONEY = new Set(['revenue', 'average_order_value']);

const cents = (n: number): number => Math.round(n * 100) / 100;
const iso = (s: string): string => new Date(s).toISOString();

/** The type's known fields only (extra fields a newer job adds are not kept), money to whole cents, times in UTC. */
export function toStored(result: AnalyticsResult): StoredResult {
  const source = result as unknown as Record<string, string | number>;
  const payload: Record<string, string | number> = {};
  for (const field of FIELDS[result.result_type]) {
    const value = source[field]!;
    payload[field] = MONEY.has(field) ? cents(value as number) : value;
  }
  return {
    resultType: result.result_type,
    windowStart: iso(result.window_start),
    windowEnd: iso(result.window_end),
    itemKey: resultItemKey(result),
    payload,
  };
}

/**
 * Stored before? The same result again (a redelivery, or the job republishing after a restart) changes
 * nothing; a different one for the same key is a revision: the job re-ran the window (a backfill or a fix).
 */
export function compareResult(existing: ResultRow | undefined, incoming: StoredResult): 'new' | 'same' | 'revised' {
  if (!existing) return 'new';
  const sameEnd = existing.window_end.getTime() === Date.parse(incoming.windowEnd);
  return sameEnd && canonical(existing.payload) === canonical(incoming.payload) ? 'same' : 'revised';
}

const canonical = (payload: Record<string, unknown>): string =>
  JSON.stringify(
    Object.keys(payload)
      .sort()
      .map((k) => [k, payload[k]]),
  );

export function toView(row: ResultRow): ResultView {
  return {
    result_type: row.result_type,
    window_start: row.window_start.toISOString(),
    window_end: row.window_end.toISOString(),
    ...row.payload,
    revision: row.revision,
    received_at: row.received_at.toISOString(),
  } as ResultView;
}

import type { Queryable } from '@emporium/kit';
import type { ResultRow } from '../results/result.ts';

const COLUMNS = 'id, result_type, window_start, window_end, item_key, payload, revision, seq, received_at';

/** Windows starting in [from, to); either end may be open. Times are ISO strings checked by the service. */
export interface Range {
  from: string | undefined;
  to: string | undefined;
}

// $1 and $2 are always the range in these statements.
const IN_RANGE = '($1::timestamptz IS NULL OR window_start >= $1) AND ($2::timestamptz IS NULL OR window_start < $2)';
const rangeParams = (r: Range) => [r.from ?? null, r.to ?? null];

export function createReportRepository(db: Queryable) {
  return {
    async latestWindowStart(): Promise<Date | undefined> {
      const { rows } = await db.query<{ w: Date | null }>(
        "SELECT max(window_start) AS w FROM analytics_results WHERE result_type = 'window_summary'",
      );
      return rows[0]?.w ?? undefined;
    },

    async window(windowStart: string): Promise<ResultRow[]> {
      const { rows } = await db.query<ResultRow>(
        `SELECT ${COLUMNS} FROM analytics_results WHERE window_start = $1 ORDER BY result_type, item_key`,
        [windowStart],
      );
      return rows;
    },

    /** Newest first, before the cursor's window. */
    async summaries(range: Range, before: string | undefined, limit: number): Promise<ResultRow[]> {
      const { rows } = await db.query<ResultRow>(
        `SELECT ${COLUMNS} FROM analytics_results
         WHERE result_type = 'window_summary' AND ${IN_RANGE} AND ($3::timestamptz IS NULL OR window_start < $3)
         ORDER BY window_start DESC LIMIT $4`,
        [...rangeParams(range), before ?? null, limit],
      );
      return rows;
    },

    /** The ranked products of up to `windows` windows, newest window first, by rank. */
    async topProducts(range: Range, before: string | undefined, windows: number): Promise<ResultRow[]> {
      const { rows } = await db.query<ResultRow>(
        `WITH w AS (
           SELECT DISTINCT window_start FROM analytics_results
           WHERE result_type = 'top_products' AND ${IN_RANGE} AND ($3::timestamptz IS NULL OR window_start < $3)
           ORDER BY window_start DESC LIMIT $4)
         SELECT ${COLUMNS} FROM analytics_results JOIN w USING (window_start)
         WHERE result_type = 'top_products'
         ORDER BY window_start DESC, (payload->>'rank')::int`,
        [...rangeParams(range), before ?? null, windows],
      );
      return rows;
    },

    /** Paid orders and revenue per region over the range: exact, since every window reports every region. */
    async regionTotals(range: Range, offset: number, limit: number) {
      const { rows } = await db.query<{ region: string; orders_paid: string; revenue: string; windows: number }>(
        `SELECT item_key AS region, sum((payload->>'orders_paid')::bigint) AS orders_paid,
                round(sum((payload->>'revenue')::numeric), 2) AS revenue, count(*) AS windows
         FROM analytics_results WHERE result_type = 'orders_by_region' AND ${IN_RANGE}
         GROUP BY item_key ORDER BY sum((payload->>'revenue')::numeric) DESC, item_key LIMIT $3 OFFSET $4`,
        [...rangeParams(range), limit, offset],
      );
      return rows;
    },

    async hourTotals(range: Range) {
      const { rows } = await db.query<{ hour: number; orders_paid: string; revenue: string }>(
        `SELECT (payload->>'hour')::int AS hour, sum((payload->>'orders_paid')::bigint) AS orders_paid,
                round(sum((payload->>'revenue')::numeric), 2) AS revenue
         FROM analytics_results WHERE result_type = 'peak_hours' AND ${IN_RANGE}
         GROUP BY 1`,
        rangeParams(range),
      );
      return rows;
    },

    /** Newest first, by window then metric, after the cursor's (window, metric). */
    async anomalies(
      range: Range,
      metric: string | undefined,
      after: { w: string; m: string } | undefined,
      limit: number,
    ): Promise<ResultRow[]> {
      const { rows } = await db.query<ResultRow>(
        `SELECT ${COLUMNS} FROM analytics_results
         WHERE result_type = 'anomaly' AND ${IN_RANGE} AND ($3::text IS NULL OR item_key = $3)
           AND ($4::timestamptz IS NULL OR (window_start, item_key) < ($4, $5::text))
         ORDER BY window_start DESC, item_key DESC LIMIT $6`,
        [...rangeParams(range), metric ?? null, after?.w ?? null, after?.m ?? null, limit],
      );
      return rows;
    },
  };
}

export type ReportRepository = ReturnType<typeof createReportRepository>;

import { DomainError, notFoundError } from '@emporium/kit';
import type { ResultRow } from '../results/result.ts';
import type { Range, ReportRepository } from './report-repository.ts';

type Fields = Record<string, string | number>;
interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

const invalid = (code: string, field: string, detail: string) =>
  new DomainError(code, 'validation', detail, { fields: [{ field, message: detail }] });

// PostgreSQL has no year 0, and JavaScript writes years past 9999 in a form it does not read.
const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** An ISO time PostgreSQL reads, or undefined: the schema's date-time still lets through 23:59:60 and year 0. */
function isoOf(value: string): string | undefined {
  const ms = Date.parse(value);
  return ms >= EARLIEST && ms <= LATEST ? new Date(ms).toISOString() : undefined;
}

function instant(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const iso = isoOf(value);
  if (!iso) throw invalid('invalid_time', field, `${field} is not a time between the years 1 and 9999.`);
  return iso;
}

export function rangeOf(q: { from?: string | undefined; to?: string | undefined }): Range {
  const range = { from: instant(q.from, 'from'), to: instant(q.to, 'to') };
  if (range.from && range.to && range.from >= range.to)
    throw invalid('invalid_range', 'to', 'The range must end (to) after it starts (from).');
  return range;
}

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
function decode<T>(cursor: string | undefined, check: (v: T) => boolean): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as T;
    if (value !== null && typeof value === 'object' && check(value)) return value;
  } catch {
    // not base64url JSON: answered below as an invalid cursor
  }
  throw invalid('invalid_cursor', 'cursor', 'The cursor is not valid.');
}
const isTime = (v: unknown) => typeof v === 'string' && isoOf(v) === v;

const fieldsOf = (row: ResultRow): Fields => ({
  ...row.payload,
  revision: row.revision,
  received_at: row.received_at.toISOString(),
});
const withWindow = (row: ResultRow): Fields => ({
  window_start: row.window_start.toISOString(),
  window_end: row.window_end.toISOString(),
  ...fieldsOf(row),
});
const num = (v: string | number): number => Number(v);

export function createReportService(reports: ReportRepository) {
  async function windowDetail(windowStart: Date | string) {
    const start = new Date(windowStart).toISOString();
    const rows = await reports.window(start);
    if (rows.length === 0) throw notFoundError('window');
    const of = (type: string) => rows.filter((r) => r.result_type === type);
    const summary = of('window_summary')[0];
    const by =
      (field: string, desc = false) =>
      (a: Fields, b: Fields) =>
        (num(a[field]!) - num(b[field]!)) * (desc ? -1 : 1);
    return {
      window_start: start,
      // A window's own end; the summary's when it has one (peak hours may come in longer windows).
      window_end: (summary ?? rows[0]!).window_end.toISOString(),
      summary: summary ? withWindow(summary) : null,
      top_products: of('top_products').map(fieldsOf).sort(by('rank')),
      regions: of('orders_by_region').map(fieldsOf).sort(by('revenue', true)),
      peak_hours: of('peak_hours').map(fieldsOf).sort(by('hour')),
      anomalies: of('anomaly').map(withWindow),
    };
  }

  return {
    async latestWindow() {
      const latest = await reports.latestWindowStart();
      if (!latest) throw notFoundError('window');
      return windowDetail(latest);
    },

    window: (windowStart: string) => windowDetail(instant(windowStart, 'windowStart')!),

    async summaries(q: { from?: string; to?: string; limit: number; cursor?: string }): Promise<Page<Fields>> {
      const before = decode<{ w: string }>(q.cursor, (v) => isTime(v.w));
      const rows = await reports.summaries(rangeOf(q), before?.w, q.limit + 1);
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return {
        items: page.map(withWindow),
        next_cursor: rows.length > q.limit && last ? encode({ w: last.window_start.toISOString() }) : null,
      };
    },

    async topProducts(q: { from?: string; to?: string; limit: number; cursor?: string }) {
      const before = decode<{ w: string }>(q.cursor, (v) => isTime(v.w));
      const rows = await reports.topProducts(rangeOf(q), before?.w, q.limit + 1);
      const windows = new Map<string, { window_start: string; window_end: string; products: Fields[] }>();
      for (const row of rows) {
        const w = row.window_start.toISOString();
        if (!windows.has(w))
          windows.set(w, { window_start: w, window_end: row.window_end.toISOString(), products: [] });
        windows.get(w)!.products.push(fieldsOf(row));
      }
      const all = [...windows.values()];
      const items = all.slice(0, q.limit);
      const last = items.at(-1);
      return { items, next_cursor: all.length > q.limit && last ? encode({ w: last.window_start }) : null };
    },

    async regions(q: { from?: string; to?: string; limit: number; cursor?: string }) {
      const offset = decode<{ o: number }>(q.cursor, (v) => Number.isSafeInteger(v.o) && v.o >= 0)?.o ?? 0;
      const rows = await reports.regionTotals(rangeOf(q), offset, q.limit + 1);
      return {
        items: rows.slice(0, q.limit).map((r) => ({
          region: r.region,
          orders_paid: num(r.orders_paid),
          revenue: num(r.revenue),
          windows: r.windows,
        })),
        next_cursor: rows.length > q.limit ? encode({ o: offset + q.limit }) : null,
      };
    },

    /** All 24 hours of the day (UTC), summed over the range; the peak is the hour with most paid orders. */
    async peakHours(q: { from?: string; to?: string }) {
      const range = rangeOf(q);
      const totals = new Map((await reports.hourTotals(range)).map((r) => [r.hour, r]));
      const hours = Array.from({ length: 24 }, (_, hour) => ({
        hour,
        orders_paid: num(totals.get(hour)?.orders_paid ?? 0),
        revenue: num(totals.get(hour)?.revenue ?? 0),
      }));
      const peak = hours.reduce((best, h) => (h.orders_paid > best.orders_paid ? h : best), hours[0]!);
      return {
        from: range.from ?? null,
        to: range.to ?? null,
        peak_hour: peak.orders_paid > 0 ? peak.hour : null,
        hours,
      };
    },

    async anomalies(q: { from?: string; to?: string; metric?: string; limit: number; cursor?: string }) {
      const after = decode<{ w: string; m: string }>(q.cursor, (v) => isTime(v.w) && typeof v.m === 'string');
      const rows = await reports.anomalies(rangeOf(q), q.metric, after, q.limit + 1);
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return {
        items: page.map(withWindow),
        next_cursor:
          rows.length > q.limit && last ? encode({ w: last.window_start.toISOString(), m: last.item_key }) : null,
      };
    },
  };
}

export type ReportService = ReturnType<typeof createReportService>;

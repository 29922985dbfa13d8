import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, ApiError, type Page } from '../shared/api.ts';
import { formatDateTime, formatMoney } from '../shared/format.ts';
import { Empty, Loading, Problem, useTitle } from '../shared/ui.tsx';
import { followStream, type StreamState } from './result-stream.ts';

// The analytics API's shapes (services/analytics: report-schemas.ts).
interface Summary {
  window_start: string;
  window_end: string;
  orders_placed: number;
  orders_paid: number;
  revenue: number;
  average_order_value: number;
  revision: number;
}
interface Window {
  window_start: string;
  window_end: string;
  summary: Summary | null;
  top_products: Array<{ rank: number; product_id: number; product_name: string; quantity: number; revenue: number }>;
  regions: Array<{ region: string; orders_paid: number; revenue: number }>;
  peak_hours: Array<{ hour: number; orders_paid: number; revenue: number }>;
  anomalies: Array<{ metric: string; value: number; expected: number; reason: string }>;
}

const POLL_MS = 15_000;
const STATE_WORDS: Record<StreamState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  polling: `Reconnecting; refreshing every ${POLL_MS / 1000} s meanwhile`,
  refused: 'Not live',
};
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`;

/** Follows the result stream; each new result refreshes the views (debounced: a window's results come in a burst). */
function useLiveResults(): { state: StreamState; lastAt: string | null } {
  const queryClient = useQueryClient();
  const [state, setState] = useState<StreamState>('connecting');
  const [lastAt, setLastAt] = useState<string | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const close = followStream('/api/analytics/stream', {
      onState: setState,
      onEvent: (e) => {
        if (e.event !== 'result') return;
        try {
          setLastAt((JSON.parse(e.data) as { received_at?: string }).received_at ?? new Date().toISOString());
        } catch {
          // A frame that is not JSON still means "something changed".
        }
        clearTimeout(timer);
        timer = setTimeout(() => void queryClient.invalidateQueries({ queryKey: ['analytics'] }), 250);
      },
    });
    return () => {
      clearTimeout(timer);
      close();
    };
  }, [queryClient]);
  return { state, lastAt };
}

function Bar({ value, max }: { value: number; max: number }) {
  const width = max > 0 ? Math.max(2, Math.round((value / max) * 100)) : 0;
  return (
    <span className="bar" aria-hidden="true">
      <span style={{ width: `${width}%` }} />
    </span>
  );
}

export function AnalyticsPage() {
  useTitle('Analytics · Emporium admin');
  const live = useLiveResults();
  const refetchInterval = live.state === 'live' || live.state === 'refused' ? false : POLL_MS;
  const latest = useQuery({
    queryKey: ['analytics', 'latest'],
    // 404 until the job has published its first window: an empty dashboard, not an error.
    queryFn: () =>
      api<Window>('/api/analytics/windows/latest').catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }),
    refetchInterval,
  });
  const recent = useQuery({
    queryKey: ['analytics', 'windows'],
    queryFn: () => api<Page<Summary>>('/api/analytics/windows?limit=12'),
    refetchInterval,
  });
  const w = latest.data;
  const s = w?.summary;
  const trend = recent.data?.items ?? [];
  const maxRevenue = Math.max(0, ...trend.map((x) => x.revenue));
  const maxHour = Math.max(0, ...(w?.peak_hours ?? []).map((h) => h.orders_paid));
  return (
    <section className="dashboard">
      <h1>Analytics</h1>
      <p className={`live live-${live.state}`} role="status">
        <span className="dot" aria-hidden="true" /> {STATE_WORDS[live.state]}
        {live.lastAt && <> · last result {time.format(new Date(live.lastAt))}</>}
      </p>
      {latest.isPending && <Loading what="Loading the latest window" />}
      <Problem error={latest.error} />
      {w === null && <Empty>No results yet: the first window appears here five minutes after the first order.</Empty>}
      {w && (
        <>
          <h2>
            Window {formatDateTime(w.window_start)} – {time.format(new Date(w.window_end))}
          </h2>
          {s ? (
            <dl className="kpis">
              <div>
                <dt>Orders placed</dt>
                <dd data-kpi="orders_placed">{s.orders_placed}</dd>
              </div>
              <div>
                <dt>Orders paid</dt>
                <dd data-kpi="orders_paid">{s.orders_paid}</dd>
              </div>
              <div>
                <dt>Revenue</dt>
                <dd data-kpi="revenue">{formatMoney(s.revenue)}</dd>
              </div>
              <div>
                <dt>Average order</dt>
                <dd data-kpi="average_order_value">{formatMoney(s.average_order_value)}</dd>
              </div>
            </dl>
          ) : (
            <Empty>No summary for this window yet.</Empty>
          )}
          <div className="panels">
            <section aria-labelledby="top-title">
              <h3 id="top-title">Top products</h3>
              {w.top_products.length === 0 ? (
                <Empty>None paid in this window.</Empty>
              ) : (
                <table className="table compact">
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">Product</th>
                      <th scope="col">Sold</th>
                      <th scope="col">Revenue</th>
                    </tr>
                  </thead>
                  <tbody>
                    {w.top_products.map((p) => (
                      <tr key={p.rank}>
                        <td>{p.rank}</td>
                        <td>{p.product_name}</td>
                        <td>{p.quantity}</td>
                        <td>{formatMoney(p.revenue)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section aria-labelledby="regions-title">
              <h3 id="regions-title">Regions</h3>
              {w.regions.length === 0 ? (
                <Empty>No paid orders.</Empty>
              ) : (
                <table className="table compact">
                  <thead>
                    <tr>
                      <th scope="col">Country</th>
                      <th scope="col">Paid orders</th>
                      <th scope="col">Revenue</th>
                    </tr>
                  </thead>
                  <tbody>
                    {w.regions.map((r) => (
                      <tr key={r.region}>
                        <td>{r.region}</td>
                        <td>{r.orders_paid}</td>
                        <td>{formatMoney(r.revenue)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section aria-labelledby="hours-title">
              <h3 id="hours-title">Peak hours (UTC)</h3>
              {w.peak_hours.length === 0 ? (
                <Empty>No paid orders.</Empty>
              ) : (
                <ul className="bars">
                  {w.peak_hours.map((h) => (
                    <li key={h.hour}>
                      <span>{hourLabel(h.hour)}</span> <Bar value={h.orders_paid} max={maxHour} />{' '}
                      <span>
                        {h.orders_paid} paid, {formatMoney(h.revenue)}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section aria-labelledby="anomalies-title">
              <h3 id="anomalies-title">Anomalies</h3>
              {w.anomalies.length === 0 ? (
                <Empty>Nothing unusual.</Empty>
              ) : (
                <ul className="lines">
                  {w.anomalies.map((a) => (
                    <li key={a.metric} className="line anomaly">
                      <strong>{a.metric.replaceAll('_', ' ')}</strong> {a.value} (expected about {a.expected}):{' '}
                      {a.reason}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>
        </>
      )}
      <h2>Recent windows</h2>
      <Problem error={recent.error} />
      {trend.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Recent windows, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Window</th>
              <th scope="col">Placed</th>
              <th scope="col">Paid</th>
              <th scope="col">Revenue</th>
              <th scope="col">Average</th>
            </tr>
          </thead>
          <tbody>
            {trend.map((x) => (
              <tr key={x.window_start}>
                <td>{formatDateTime(x.window_start)}</td>
                <td>{x.orders_placed}</td>
                <td>{x.orders_paid}</td>
                <td>
                  <Bar value={x.revenue} max={maxRevenue} /> {formatMoney(x.revenue)}
                </td>
                <td>{formatMoney(x.average_order_value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../shared/api.ts';
import { Empty, Loading, Problem, useTitle } from '../shared/ui.tsx';

// HOOKS for the notification and analytics issues: each page calls the API its service will serve and shows
// the raw answer until the lead wires a proper view after merging. A missing service reads as "not yet".

function useRaw(key: string, path: string) {
  return useQuery({ queryKey: [key], queryFn: () => api<unknown>(path), retry: false });
}

function RawAnswer({ result, what }: { result: ReturnType<typeof useRaw>; what: string }) {
  if (result.isPending) return <Loading />;
  if (result.error instanceof ApiError && [404, 502, 503].includes(result.error.status)) {
    return <Empty>The {what} is not available yet.</Empty>;
  }
  if (result.error) return <Problem error={result.error} />;
  return <pre className="raw">{JSON.stringify(result.data, null, 2)}</pre>;
}

export function NotificationLogPage() {
  useTitle('Notifications · Emporium admin');
  const deliveries = useRaw('admin-deliveries', '/api/notifications?limit=50');
  return (
    <section>
      <h1>Notification log</h1>
      <RawAnswer result={deliveries} what="notification service" />
    </section>
  );
}

export function AnalyticsPage() {
  useTitle('Analytics · Emporium admin');
  const latest = useRaw('admin-analytics', '/api/analytics/latest');
  return (
    <section>
      <h1>Analytics</h1>
      <RawAnswer result={latest} what="analytics API" />
    </section>
  );
}

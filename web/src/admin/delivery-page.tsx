import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../shared/api.ts';
import { formatDateTime } from '../shared/format.ts';
import { Loading, Problem, useTitle } from '../shared/ui.tsx';
import { DeliveryBadge, type Delivery } from './notification-log-page.tsx';

const when = (iso: string | null) => (iso ? formatDateTime(iso) : '—');

export function DeliveryPage() {
  const { id } = useParams();
  useTitle(`Delivery #${id} · Emporium admin`);
  const queryClient = useQueryClient();
  const delivery = useQuery({
    queryKey: ['admin-delivery', id],
    queryFn: () => api<Delivery>(`/api/notifications/deliveries/${id}`),
    // A retried delivery moves on by itself (queued → sent or failed): follow it until it settles.
    refetchInterval: (q) => (['queued', 'failed'].includes(q.state.data?.status ?? '') ? 2_000 : false),
  });
  const retry = useMutation({
    mutationFn: () => api<Delivery>(`/api/notifications/deliveries/${id}/retry`, { method: 'POST' }),
    onSuccess: (data) => {
      queryClient.setQueryData(['admin-delivery', id], data);
      void queryClient.invalidateQueries({ queryKey: ['admin-deliveries'] });
    },
  });
  if (delivery.isPending) return <Loading what="Loading the delivery" />;
  if (delivery.error) return <Problem error={delivery.error} />;
  const d = delivery.data;
  return (
    <article>
      <p>
        <Link to="/notifications">Notification log</Link>
      </p>
      <h1>
        Delivery #{d.id} <DeliveryBadge status={d.status} />
      </h1>
      <dl className="facts">
        <dt>Type</dt>
        <dd>{d.notification_type.replaceAll('_', ' ')}</dd>
        <dt>Channel</dt>
        <dd>{d.channel}</dd>
        <dt>To</dt>
        <dd>
          {d.recipient}
          {d.user_id !== null && (
            <>
              {' '}
              (<Link to={`/notifications?user_id=${d.user_id}`}>user {d.user_id}&rsquo;s messages</Link>)
            </>
          )}
        </dd>
        <dt>Event</dt>
        <dd>
          <code>{d.event_id}</code> from <code>{d.source_topic}</code>
        </dd>
        <dt>Attempts</dt>
        <dd>{d.attempts}</dd>
        <dt>Created</dt>
        <dd>{when(d.created_at)}</dd>
        <dt>Last change</dt>
        <dd>{when(d.updated_at)}</dd>
        <dt>Sent</dt>
        <dd>{when(d.sent_at)}</dd>
        {['queued', 'failed'].includes(d.status) && (
          <>
            <dt>Next attempt</dt>
            <dd>{when(d.next_attempt_at)}</dd>
          </>
        )}
        <dt>Provider id</dt>
        <dd>{d.provider_message_id ?? '—'}</dd>
      </dl>
      {d.last_error && (
        <>
          <h2>Last error</h2>
          <pre className="raw">{d.last_error}</pre>
        </>
      )}
      {d.status === 'dead' && d.channel !== 'none' && (
        <div className="actions">
          <button type="button" onClick={() => retry.mutate()} disabled={retry.isPending}>
            {retry.isPending ? 'Retrying…' : 'Retry this delivery'}
          </button>
        </div>
      )}
      <Problem error={retry.error} />
      {retry.isSuccess && <p role="status">Queued again: it is sent on the next round.</p>}
      <h2>Message</h2>
      {d.subject && (
        <p>
          <strong>{d.subject}</strong>
        </p>
      )}
      {d.body_text ? (
        <pre className="raw">{d.body_text}</pre>
      ) : (
        <p className="muted">No text kept for this delivery.</p>
      )}
    </article>
  );
}

import { Link } from 'react-router';
import { formatDateTime } from '../shared/format.ts';
import { Field, fieldError, useTitle } from '../shared/ui.tsx';
import { ListResult, useFilteredList } from './filtered-list.tsx';

/** A row of the notification service's delivery log (GET /api/notifications/deliveries). */
export interface Delivery {
  id: string;
  event_id: string;
  source_topic: string;
  notification_type: string;
  channel: string;
  recipient: string;
  user_id: number | null;
  subject: string | null;
  body_text: string | null;
  status: string;
  attempts: number;
  next_attempt_at: string;
  provider_message_id: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

export const DELIVERY_STATUSES = ['queued', 'sent', 'failed', 'dead', 'skipped'];
export const NOTICE_TYPES = [
  'order_confirmation',
  'payment_confirmation',
  'order_shipped',
  'order_delivered',
  'order_cancelled',
  'refund_issued',
  'password_reset',
  'message',
];
const CHANNELS = ['email', 'sms', 'push', 'none'];
const FILTERS = ['status', 'channel', 'type', 'order_id', 'user_id'];

export const DeliveryBadge = ({ status }: { status: string }) => (
  <span className={`badge delivery-${status}`}>{status}</span>
);

function Choice({ name, label, options, value }: { name: string; label: string; options: string[]; value?: string }) {
  return (
    <div className="field">
      <label htmlFor={`n-${name}`}>{label}</label>
      <select id={`n-${name}`} name={name} defaultValue={value ?? ''}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o.replaceAll('_', ' ')}
          </option>
        ))}
      </select>
    </div>
  );
}

export function NotificationLogPage() {
  useTitle('Notifications · Emporium admin');
  const { filters, pager, list, apply, formKey } = useFilteredList<Delivery>({
    key: 'admin-deliveries',
    path: '/api/notifications/deliveries',
    filters: FILTERS,
    refetchInterval: 10_000,
  });
  return (
    <section>
      <h1>Notification log</h1>
      <p className="actions">
        <Link to="/notifications/templates">Templates</Link>
        <Link to="/notifications/send">Send a message</Link>
      </p>
      <form className="toolbar" onSubmit={apply} aria-label="Filter deliveries" key={formKey}>
        <Choice name="status" label="Status" options={DELIVERY_STATUSES} value={filters['status']} />
        <Choice name="channel" label="Channel" options={CHANNELS} value={filters['channel']} />
        <Choice name="type" label="Type" options={NOTICE_TYPES} value={filters['type']} />
        <Field
          label="Order"
          name="order_id"
          inputMode="numeric"
          size={10}
          defaultValue={filters['order_id']}
          error={fieldError(list.error, 'order_id')}
        />
        <Field
          label="User"
          name="user_id"
          inputMode="numeric"
          size={8}
          defaultValue={filters['user_id']}
          error={fieldError(list.error, 'user_id')}
        />
        <button type="submit">Filter</button>
      </form>
      <ListResult list={list} pager={pager} loading="Loading deliveries" empty="No deliveries match.">
        {(deliveries) => (
          <table className="table">
            <caption className="visually-hidden">Deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Delivery</th>
                <th scope="col">Type</th>
                <th scope="col">Channel</th>
                <th scope="col">To</th>
                <th scope="col">Created</th>
                <th scope="col">Attempts</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`/notifications/${d.id}`}>#{d.id}</Link>
                  </td>
                  <td>{d.notification_type.replaceAll('_', ' ')}</td>
                  <td>{d.channel}</td>
                  <td>{d.recipient}</td>
                  <td>{formatDateTime(d.created_at)}</td>
                  <td>{d.attempts}</td>
                  <td>
                    <DeliveryBadge status={d.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </ListResult>
    </section>
  );
}

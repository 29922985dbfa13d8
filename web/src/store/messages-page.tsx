import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, query, type Page } from '../shared/api.ts';
import { formatDateTime } from '../shared/format.ts';
import { Empty, Loading, Pager, Problem, usePager, useTitle } from '../shared/ui.tsx';
import { NotificationSettings } from './notification-settings.tsx';

/** One of the customer's own messages (GET /api/notifications); a reset mail's body is always null. */
interface Message {
  id: string;
  type: string;
  channel: 'email' | 'sms' | 'push';
  to: string;
  subject: string | null;
  body: string | null;
  status: string;
  created_at: string;
  sent_at: string | null;
}

const CHANNEL_WORDS: Record<string, string> = { email: 'Email', sms: 'Text message', push: 'Push' };
// What the customer needs to know about a delivery; the console shows the rest.
const STATUS_WORDS: Record<string, string> = {
  queued: 'Sending',
  failed: 'Sending (retrying)',
  sent: 'Sent',
  dead: 'Could not be sent',
  skipped: 'Not sent',
};
const SECRET_BODY = 'This message holds a secret link, so it is only in your mailbox.';

export function MessagesPage() {
  useTitle('Messages · Emporium');
  const pager = usePager('messages');
  const messages = useQuery({
    queryKey: ['messages', pager.cursor],
    queryFn: () => api<Page<Message>>(`/api/notifications${query({ limit: 20, cursor: pager.cursor })}`),
    placeholderData: keepPreviousData,
    // A message queued a moment ago is sent a moment later: the list keeps itself current while open.
    refetchInterval: 15_000,
  });
  return (
    <section>
      <h1>Messages</h1>
      <p className="muted">
        What the shop sent you about your orders and your account. Choose how you hear from us{' '}
        <a href="#settings">below</a>.
      </p>
      {messages.isPending && <Loading what="Loading your messages" />}
      <Problem error={messages.error} />
      {messages.data?.items.length === 0 && (
        <Empty>
          No messages yet. When you <Link to="/">place an order</Link>, its confirmation shows up here.
        </Empty>
      )}
      {messages.data && messages.data.items.length > 0 && (
        <ul className="messages" aria-label="Your messages, newest first">
          {messages.data.items.map((m) => (
            <li key={m.id} className="message">
              <details>
                <summary>
                  <span className="message-subject">{m.subject ?? m.body?.slice(0, 80) ?? m.type}</span>
                  <span className="muted message-meta">
                    {CHANNEL_WORDS[m.channel] ?? m.channel} to {m.to} ·{' '}
                    <time dateTime={m.sent_at ?? m.created_at}>{formatDateTime(m.sent_at ?? m.created_at)}</time> ·{' '}
                    {STATUS_WORDS[m.status] ?? m.status}
                  </span>
                </summary>
                <p className="message-body">{m.body ?? SECRET_BODY}</p>
              </details>
            </li>
          ))}
        </ul>
      )}
      <Pager pager={pager} nextCursor={messages.data?.next_cursor} />
      <NotificationSettings />
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { api, ApiError, type Page } from '../shared/api.ts';
import { formatDateTime } from '../shared/format.ts';
import { Empty, Loading, Problem, useTitle } from '../shared/ui.tsx';

// HOOK (notifications issue): the customer's own messages from GET /api/notifications. The item fields below
// are a guess until the notification service lands; the lead adjusts them when wiring it.
interface Message {
  id: number | string;
  channel: string;
  subject?: string | null;
  status?: string;
  created_at: string;
}

export function MessagesPage() {
  useTitle('Messages · Emporium');
  const messages = useQuery({
    queryKey: ['messages'],
    queryFn: () => api<Page<Message>>('/api/notifications?limit=20'),
    retry: false,
  });
  const missing = messages.error instanceof ApiError && [404, 502, 503].includes(messages.error.status);
  return (
    <section>
      <h1>Messages</h1>
      {messages.isPending && <Loading what="Loading your messages" />}
      {missing ? <Empty>Messages are not available yet.</Empty> : <Problem error={messages.error} />}
      {messages.data && messages.data.items.length === 0 && <Empty>No messages yet.</Empty>}
      {messages.data && messages.data.items.length > 0 && (
        <ul className="lines">
          {messages.data.items.map((m) => (
            <li key={m.id} className="line">
              <strong>{m.subject ?? m.channel}</strong> <span className="muted">{formatDateTime(m.created_at)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

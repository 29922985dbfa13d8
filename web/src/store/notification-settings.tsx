import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../shared/api.ts';
import { formatDate } from '../shared/format.ts';
import { useSession } from '../shared/session.ts';
import { Loading, messageOf, Problem } from '../shared/ui.tsx';

/** The users service's `/api/users/:id/notification-settings` (the channels the notification service uses). */
interface Settings {
  email: boolean;
  sms: boolean;
  push: boolean;
  promotional: boolean;
  push_tokens: Array<{ token: string; platform: string; created_at: string }>;
}

const CHOICES = [
  ['email', 'Email', 'Order confirmations, shipping and refunds by email'],
  ['sms', 'Text messages', 'The same news by SMS to the phone on your account'],
  ['push', 'Push notifications', 'On the devices where you use our app'],
  ['promotional', 'Offers and news', 'Now and then, never more than once a week'],
] as const;

export function NotificationSettings() {
  const user = useSession()!.user;
  const queryClient = useQueryClient();
  const key = ['notification-settings', user.id];
  const settings = useQuery({
    queryKey: key,
    queryFn: () => api<Settings>(`/api/users/${user.id}/notification-settings`),
  });
  const save = useMutation({
    mutationFn: (body: Record<string, boolean>) =>
      api<Settings>(`/api/users/${user.id}/notification-settings`, { method: 'PUT', body }),
    onSuccess: (data) => queryClient.setQueryData(key, data),
  });
  const forget = useMutation({
    mutationFn: (token: string) =>
      api(`/api/users/${user.id}/push-tokens/${encodeURIComponent(token)}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    save.mutate(Object.fromEntries(CHOICES.map(([name]) => [name, form.get(name) === 'on'])));
  };
  return (
    <section className="narrow settings" aria-labelledby="settings">
      <h2 id="settings" tabIndex={-1}>
        How we contact you
      </h2>
      <p className="muted">Password reset links always come by email, whatever you choose here.</p>
      {settings.isPending && <Loading what="Loading your settings" />}
      <Problem error={settings.error} />
      {settings.data && (
        <form onSubmit={submit} className="form" key={JSON.stringify(settings.data)}>
          <fieldset>
            <legend>Send me</legend>
            {CHOICES.map(([name, label, hint]) => (
              <div key={name}>
                <div className="check">
                  <input
                    type="checkbox"
                    id={`ns-${name}`}
                    name={name}
                    defaultChecked={settings.data[name]}
                    aria-describedby={`ns-${name}-hint`}
                  />
                  <label htmlFor={`ns-${name}`}>{label}</label>
                </div>
                <p className="hint indent" id={`ns-${name}-hint`}>
                  {hint}
                </p>
              </div>
            ))}
          </fieldset>
          {save.error && (
            <p className="problem" role="alert">
              {messageOf(save.error)}{' '}
              {user.phone || !(save.error instanceof ApiError && save.error.status === 409) ? null : (
                <>
                  Add a phone number on <Link to="/account">your account</Link> first.
                </>
              )}
            </p>
          )}
          {save.isSuccess && <p role="status">Saved.</p>}
          <button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save settings'}
          </button>
        </form>
      )}
      {settings.data && settings.data.push_tokens.length > 0 && (
        <>
          <h3>Devices that get push notifications</h3>
          <ul className="lines">
            {settings.data.push_tokens.map((t) => (
              <li key={t.token} className="line">
                {t.platform} device, added {formatDate(t.created_at)}{' '}
                <button
                  type="button"
                  className="secondary"
                  disabled={forget.isPending}
                  onClick={() => forget.mutate(t.token)}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <Problem error={forget.error} />
        </>
      )}
    </section>
  );
}

import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../shared/api.ts';
import { Field, fieldError, Problem, SelectField, useTitle } from '../shared/ui.tsx';
import { NOTICE_TYPES, type Delivery } from './notification-log-page.tsx';

/** SPEC's admin send: `{channel, to, subject?, template?, data?, body?}` → 202 and the queued delivery. */
export function SendPage() {
  useTitle('Send a message · Emporium admin');
  const send = useMutation({
    mutationFn: (body: Record<string, string>) => api<Delivery>('/api/notifications/send', { method: 'POST', body }),
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body: Record<string, string> = {};
    for (const key of ['channel', 'to', 'subject', 'template', 'body']) {
      const value = String(form.get(key) ?? '').trim();
      if (value) body[key] = value;
    }
    send.mutate(body);
  };
  const err = send.error;
  return (
    <section className="narrow">
      <p>
        <Link to="/notifications">Notification log</Link>
      </p>
      <h1>Send a message</h1>
      <form onSubmit={submit} className="form" noValidate>
        <SelectField label="Channel" name="channel" defaultValue="email" error={fieldError(err, 'channel')}>
          <option value="email">Email</option>
          <option value="sms">SMS</option>
          <option value="push">Push</option>
        </SelectField>
        <Field
          label="To"
          name="to"
          required
          hint="An email address, a phone number in international form (+44…), or a device's push token"
          error={fieldError(err, 'to')}
        />
        <Field label="Subject (optional)" name="subject" error={fieldError(err, 'subject')} />
        <SelectField label="Template (optional)" name="template" defaultValue="" error={fieldError(err, 'template')}>
          <option value="">None: send the text below</option>
          {NOTICE_TYPES.filter((t) => t !== 'password_reset').map((t) => (
            <option key={t} value={t}>
              {t.replaceAll('_', ' ')}
            </option>
          ))}
        </SelectField>
        <div className="field">
          <label htmlFor="send-body">Text</label>
          <textarea
            id="send-body"
            name="body"
            rows={6}
            aria-invalid={fieldError(err, 'body') ? true : undefined}
            aria-describedby={fieldError(err, 'body') ? 'send-body-error' : undefined}
          />
          {fieldError(err, 'body') && (
            <p className="field-error" id="send-body-error">
              Text {fieldError(err, 'body')}
            </p>
          )}
        </div>
        <Problem error={err} />
        {send.data && (
          <p role="status">
            Queued as <Link to={`/notifications/${send.data.id}`}>delivery #{send.data.id}</Link>.
          </p>
        )}
        <button type="submit" disabled={send.isPending}>
          {send.isPending ? 'Sending…' : 'Send'}
        </button>
      </form>
    </section>
  );
}

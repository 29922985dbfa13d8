import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { api } from '../shared/api.ts';
import { updateUser, useSession, type User } from '../shared/session.ts';
import { Field, fieldError, Problem, useTitle } from '../shared/ui.tsx';

export function ProfilePage() {
  useTitle('Your account · Emporium');
  const user = useSession()!.user;
  const save = useMutation({
    mutationFn: (body: Record<string, string | null>) => api<User>(`/api/users/${user.id}`, { method: 'PUT', body }),
    onSuccess: updateUser,
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const body: Record<string, string | null> = {
      full_name: text('full_name') || null,
      phone: text('phone') || null,
      address: text('address') || null,
    };
    // Email and password are the keys to the account: changing either needs the current password.
    if (text('email') && text('email') !== user.email) body['email'] = text('email');
    if (form.get('password')) body['password'] = String(form.get('password'));
    const current = String(form.get('current_password') ?? '');
    if ((body['email'] || body['password']) && current) body['current_password'] = current;
    save.mutate(body);
  };
  const err = save.error;
  return (
    <section className="narrow">
      <h1>Your account</h1>
      <p className="muted">Signed in as {user.username}</p>
      <form onSubmit={submit} className="form" noValidate key={user.id}>
        <Field
          label="Full name"
          name="full_name"
          autoComplete="name"
          defaultValue={user.full_name ?? ''}
          error={fieldError(err, 'full_name')}
        />
        <Field
          label="Phone"
          name="phone"
          type="tel"
          autoComplete="tel"
          defaultValue={user.phone ?? ''}
          error={fieldError(err, 'phone')}
        />
        <Field
          label="Address"
          name="address"
          autoComplete="street-address"
          defaultValue={user.address ?? ''}
          error={fieldError(err, 'address')}
        />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          defaultValue={user.email}
          error={fieldError(err, 'email')}
        />
        <Field
          label="New password (optional)"
          name="password"
          type="password"
          autoComplete="new-password"
          error={fieldError(err, 'password')}
        />
        <Field
          label="Current password"
          name="current_password"
          type="password"
          autoComplete="current-password"
          hint="Needed only to change your email or password"
          error={fieldError(err, 'current_password')}
        />
        <Problem error={err} />
        {save.isSuccess && <p role="status">Saved.</p>}
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save changes'}
        </button>
      </form>
    </section>
  );
}

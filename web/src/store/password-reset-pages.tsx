import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../shared/api.ts';
import { Field, fieldError, Problem, useTitle } from '../shared/ui.tsx';

export function ForgotPasswordPage() {
  useTitle('Reset your password · Emporium');
  const request = useMutation({
    mutationFn: (email: string) => api('/api/users/password-reset', { method: 'POST', body: { email } }),
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    request.mutate(String(new FormData(e.currentTarget).get('email')).trim());
  };
  return (
    <section className="narrow">
      <h1>Reset your password</h1>
      {request.isSuccess ? (
        <p role="status">If that email belongs to an account, a reset link is on its way. It works for an hour.</p>
      ) : (
        <form onSubmit={submit} className="form" noValidate>
          <Field
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            required
            error={fieldError(request.error, 'email')}
          />
          <Problem error={request.error} />
          <button type="submit" disabled={request.isPending}>
            Send reset link
          </button>
        </form>
      )}
    </section>
  );
}

/** Where the reset mail's link lands: /reset-password?token=… */
export function ResetPasswordPage() {
  useTitle('Choose a new password · Emporium');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const confirm = useMutation({
    mutationFn: (new_password: string) =>
      api('/api/users/password-reset/confirm', { method: 'POST', body: { token, new_password } }),
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    confirm.mutate(String(new FormData(e.currentTarget).get('new_password')));
  };
  if (!token) {
    return (
      <section className="narrow">
        <h1>Choose a new password</h1>
        <p>
          This page needs the link from your reset email. <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>Choose a new password</h1>
      {confirm.isSuccess ? (
        <p role="status">
          Your password is changed and every other session is signed out. <Link to="/sign-in">Sign in</Link>
        </p>
      ) : (
        <form onSubmit={submit} className="form" noValidate>
          <Field
            label="New password"
            name="new_password"
            type="password"
            autoComplete="new-password"
            required
            hint="8 to 72 characters"
            error={fieldError(confirm.error, 'new_password')}
          />
          <Problem error={confirm.error} />
          <button type="submit" disabled={confirm.isPending}>
            Set new password
          </button>
        </form>
      )}
    </section>
  );
}

import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../shared/api.ts';
import { sessionFrom, setSession, type User } from '../shared/session.ts';
import { SignInForm } from '../shared/sign-in-form.tsx';
import { Field, fieldError, Problem, useTitle } from '../shared/ui.tsx';

/** Only a path inside the storefront: a `next` pointing elsewhere would make sign-in an open redirect. */
function useNext() {
  const [params] = useSearchParams();
  const next = params.get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInPage() {
  useTitle('Sign in · Emporium');
  const navigate = useNavigate();
  const next = useNext();
  return (
    <section className="narrow">
      <h1>Sign in</h1>
      <SignInForm onSignedIn={() => navigate(next, { replace: true })} />
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here? <Link to={`/sign-up?next=${encodeURIComponent(next)}`}>Create an account</Link>
      </p>
    </section>
  );
}

interface LoginAnswer {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  user: User;
}

export function SignUpPage() {
  useTitle('Create an account · Emporium');
  const navigate = useNavigate();
  const next = useNext();
  const signUp = useMutation({
    mutationFn: async (body: Record<string, string | undefined>) => {
      await api<User>('/api/users/register', { method: 'POST', body });
      return api<LoginAnswer>('/api/users/login', {
        method: 'POST',
        body: { username: body['username'], password: body['password'] },
      });
    },
    onSuccess: (answer) => {
      setSession(sessionFrom(answer, answer.user));
      navigate(next, { replace: true });
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    signUp.mutate({
      username: text('username'),
      email: text('email'),
      password: String(form.get('password')),
      full_name: text('full_name') || undefined,
    });
  };
  const err = signUp.error;
  return (
    <section className="narrow">
      <h1>Create an account</h1>
      <form onSubmit={submit} className="form" noValidate>
        <Field
          label="Username"
          name="username"
          autoComplete="username"
          required
          hint="3 to 80 letters, digits, . _ or -"
          error={fieldError(err, 'username')}
        />
        <Field label="Email" name="email" type="email" autoComplete="email" required error={fieldError(err, 'email')} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="8 to 72 characters"
          error={fieldError(err, 'password')}
        />
        <Field label="Full name (optional)" name="full_name" autoComplete="name" error={fieldError(err, 'full_name')} />
        <Problem error={err} />
        <button type="submit" disabled={signUp.isPending}>
          {signUp.isPending ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p>
        Have an account? <Link to={`/sign-in?next=${encodeURIComponent(next)}`}>Sign in</Link>
      </p>
    </section>
  );
}

import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { api } from './api.ts';
import { sessionFrom, setSession, type User } from './session.ts';
import { Field, Problem } from './ui.tsx';

interface LoginAnswer {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  user: User;
}

export function SignInForm({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const login = useMutation({
    mutationFn: (body: Record<string, string>) => api<LoginAnswer>('/api/users/login', { method: 'POST', body }),
    onSuccess: (answer) => {
      setSession(sessionFrom(answer, answer.user));
      onSignedIn(answer.user);
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const name = String(form.get('login')).trim();
    const password = String(form.get('password'));
    login.mutate(name.includes('@') ? { email: name, password } : { username: name, password });
  };
  return (
    <form onSubmit={submit} className="form" noValidate>
      <Field label="Username or email" name="login" autoComplete="username" required />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <Problem error={login.error} />
      <button type="submit" disabled={login.isPending}>
        {login.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

import { useSyncExternalStore } from 'react';

export interface User {
  id: number;
  username: string;
  email: string;
  full_name: string | null;
  phone: string | null;
  address: string | null;
  role: 'customer' | 'admin';
  created_at: string;
}

export interface Session {
  user: User;
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token lapses. */
  expiresAt: number;
}

// One session per browser, shared by the storefront and the console and by every tab (the storage event).
const KEY = 'emporium.session';
const listeners = new Set<() => void>();

function read(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

let current = read();
const emit = () => listeners.forEach((l) => l());

window.addEventListener('storage', (e) => {
  if (e.key !== KEY) return;
  current = read();
  emit();
});

export const getSession = () => current;

export function setSession(next: Session | null): void {
  current = next;
  if (next) localStorage.setItem(KEY, JSON.stringify(next));
  else localStorage.removeItem(KEY);
  emit();
}

export function updateUser(user: User): void {
  if (current) setSession({ ...current, user });
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export const useSession = () => useSyncExternalStore(subscribe, getSession);

interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  user?: User;
}

export const sessionFrom = (pair: TokenPair, user: User): Session => ({
  user: pair.user ?? user,
  accessToken: pair.access_token,
  refreshToken: pair.refresh_token,
  expiresAt: Date.now() + pair.expires_in * 1000,
});

/**
 * Refresh tokens rotate and a spent one revokes its whole family, so two tabs must never spend the same
 * one: refreshes take a browser-wide lock, and a tab that finds a newer session already stored uses that.
 */
async function refreshLocked(stale: Session): Promise<Session | null> {
  const latest = read();
  if (!latest) return null;
  if (latest.refreshToken !== stale.refreshToken) {
    current = latest;
    emit();
    return latest;
  }
  const res = await fetch('/api/users/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refresh_token: stale.refreshToken }),
  });
  if (!res.ok) {
    // Refused (expired, revoked, account gone): signed out. Anything else: try again on the next call.
    if (res.status === 400 || res.status === 401) setSession(null);
    return null;
  }
  const next = sessionFrom((await res.json()) as TokenPair, stale.user);
  setSession(next);
  return next;
}

let inFlight: Promise<Session | null> | null = null;

export function refreshSession(stale: Session): Promise<Session | null> {
  if (!inFlight) {
    const locked: Promise<Session | null> = navigator.locks
      ? navigator.locks.request('emporium.refresh', () => refreshLocked(stale)).then((s) => s)
      : refreshLocked(stale);
    inFlight = locked.finally(() => {
      inFlight = null;
    });
  }
  return inFlight;
}

import { DomainError } from '@emporium/kit';
import type { AuthRepository } from './auth-repository.ts';
import type { PasswordHasher } from './password-hasher.ts';

export interface LoginLimits {
  maxFailures: number;
  windowSeconds: number;
  lockSeconds: number;
}

/**
 * Every password check (login, or the current password on an account change) first reserves one of the
 * subject's attempts in one atomic statement, and only then runs bcrypt. However many guesses arrive at
 * once, at most `maxFailures` are evaluated in a window; the rest are refused without hashing. A correct
 * password gives the attempts back; reaching the limit with failures locks the subject.
 */
export function createLoginGuard(deps: { auth: AuthRepository; hasher: PasswordHasher; limits: LoginLimits }) {
  const { auth, hasher, limits } = deps;

  async function refused(subject: string): Promise<DomainError> {
    const lockedUntil = await auth.lockedUntil(subject);
    // Not locked yet means the allowed attempts are all in flight; one of them will decide shortly.
    const retryAfterSeconds = lockedUntil ? Math.max(1, Math.ceil((lockedUntil.getTime() - Date.now()) / 1000)) : 1;
    const detail = 'Too many failed logins; try again later.';
    return new DomainError('too_many_failed_logins', 'rate_limited', detail, { retryAfterSeconds });
  }

  return {
    /** True when `password` matches `hash`; throws 429 when the subject has no attempt left. */
    async check(subject: string, password: string, hash: string | undefined): Promise<boolean> {
      if (!(await auth.reserveLoginAttempt(subject, limits))) throw await refused(subject);
      const ok = await hasher.compare(password, hash);
      if (ok) await auth.clearLoginFailures(subject);
      else await auth.lockIfExhausted(subject, limits);
      return ok;
    },
  };
}

export type LoginGuard = ReturnType<typeof createLoginGuard>;

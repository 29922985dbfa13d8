import type { NotificationRequestedV1 } from '@emporium/events';
import { DomainError, withTransaction, type Pool, type Queryable } from '@emporium/kit';
import { assertPasswordAcceptable, toPublicUser, type PublicUser, type UserRow } from '../users/user.ts';
import type { UserRepository } from '../users/user-repository.ts';
import type { AuthRepository } from './auth-repository.ts';
import type { LoginGuard } from './login-guard.ts';
import type { PasswordHasher } from './password-hasher.ts';
import { newOpaqueToken, parseOpaqueToken, sameHash, type TokenIssuer } from './auth-tokens.ts';

interface Deps {
  pool: Pool;
  users: UserRepository;
  auth: AuthRepository;
  issuer: TokenIssuer;
  guard: LoginGuard;
  hasher: PasswordHasher;
  refreshTtlSeconds: number;
  resetTtlSeconds: number;
}

export interface TokenPair {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  user: PublicUser;
}

const badCredentials = () =>
  new DomainError('invalid_credentials', 'unauthenticated', 'The username, email or password is wrong.');
const badRefresh = () =>
  new DomainError('invalid_refresh_token', 'unauthenticated', 'The refresh token is invalid, expired or revoked.');

export function createAuthService(deps: Deps) {
  const { pool, users, auth, issuer, guard } = deps;

  async function issuePair(user: UserRow, familyId: string, tx?: Queryable): Promise<TokenPair> {
    const refresh = newOpaqueToken();
    await auth.insertRefreshToken(
      { id: refresh.id, familyId, userId: user.id, hash: refresh.hash, ttlSeconds: deps.refreshTtlSeconds },
      tx,
    );
    const access = await issuer.issueAccessToken(user);
    return {
      access_token: access.token,
      token_type: 'Bearer',
      expires_in: access.expiresIn,
      refresh_token: refresh.token,
      user: toPublicUser(user),
    };
  }

  return {
    async login(identifier: string, password: string): Promise<TokenPair> {
      const user = await users.findActiveByLogin(identifier);
      // Unknown names are throttled too, so a 429 does not reveal whether an account exists.
      const subject = user ? `user:${user.id}` : `name:${identifier.toLowerCase()}`;
      const ok = await guard.check(subject, password, user?.password_hash);
      if (!user || !ok) throw badCredentials();
      return issuePair(user, crypto.randomUUID());
    },

    async refresh(refreshToken: string): Promise<TokenPair> {
      const parsed = parseOpaqueToken(refreshToken);
      if (!parsed) throw badRefresh();
      const outcome = await withTransaction(pool, async (tx) => {
        const row = await auth.lockRefreshToken(parsed.id, tx);
        if (!row || !sameHash(row.token_hash, parsed.hash)) return { error: badRefresh() };
        if (row.revoked_at) return { error: badRefresh() };
        if (row.used_at) {
          // A spent token presented again means it leaked: end every session descended from it.
          await auth.revokeFamily(row.family_id, tx);
          return { error: badRefresh() };
        }
        if (row.expires_at.getTime() <= Date.now()) return { error: badRefresh() };
        const user = await users.findById(row.user_id, tx);
        if (!user || user.deleted_at) return { error: badRefresh() };
        await auth.markRefreshTokenUsed(row.id, tx);
        return { pair: await issuePair(user, row.family_id, tx) };
      });
      if ('error' in outcome) throw outcome.error;
      return outcome.pair;
    },

    /** Ends the session the token belongs to; unknown tokens are ignored so logout is always safe to repeat. */
    async logout(refreshToken: string): Promise<void> {
      const parsed = parseOpaqueToken(refreshToken);
      if (!parsed) return;
      await withTransaction(pool, async (tx) => {
        const row = await auth.lockRefreshToken(parsed.id, tx);
        if (row && sameHash(row.token_hash, parsed.hash)) await auth.revokeFamily(row.family_id, tx);
      });
    },

    /**
     * Does the same work whether or not the email belongs to an account (one statement that records the
     * token and the event asking the notification service to mail it, or nothing), and does not wait for
     * the delivery, so neither the answer nor its timing tells the two apart.
     */
    async requestPasswordReset(email: string): Promise<void> {
      const reset = newOpaqueToken();
      const expiresAt = new Date(Date.now() + deps.resetTtlSeconds * 1000);
      const event: NotificationRequestedV1 = {
        event_id: crypto.randomUUID(),
        event_type: 'notification_requested',
        event_version: 1,
        notification_type: 'password_reset',
        user_id: 1, // the account's id, set by the statement
        data: { reset_token: reset.token, expires_at: expiresAt.toISOString() },
        requested_by: 'users',
        timestamp: new Date().toISOString(),
      };
      await auth.insertResetTokenForEmail({ id: reset.id, email, hash: reset.hash, expiresAt, event });
    },

    async confirmPasswordReset(token: string, newPassword: string): Promise<void> {
      assertPasswordAcceptable(newPassword, 'new_password');
      const parsed = parseOpaqueToken(token);
      const invalid = () =>
        new DomainError('invalid_reset_token', 'validation', 'The reset token is invalid, expired or already used.', {
          fields: [{ field: 'token', message: 'is invalid, expired or already used' }],
        });
      if (!parsed) throw invalid();
      const hash = await deps.hasher.hash(newPassword);
      const userId = await withTransaction(pool, async (tx) => {
        const row = await auth.lockResetToken(parsed.id, tx);
        if (!row || !sameHash(row.token_hash, parsed.hash) || row.used_at || row.expires_at.getTime() <= Date.now())
          return undefined;
        const updated = await users.update(row.user_id, { password_hash: hash }, tx);
        if (!updated) return undefined;
        // Every outstanding reset link dies with this one, and so does every session.
        await auth.markResetTokensUsed(row.user_id, tx);
        await auth.revokeAllForUser(row.user_id, tx);
        return row.user_id;
      });
      if (userId === undefined) throw invalid();
      // The owner proved control of the mailbox, so a lock from someone guessing passwords ends.
      await auth.clearLoginFailures(`user:${userId}`);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

import { parseAnyEvent, TOPICS, type NotificationRequestedV1 } from '@emporium/events';
import type { Queryable } from '@emporium/kit';

export interface RefreshTokenRow {
  id: string;
  family_id: string;
  user_id: number;
  token_hash: Buffer;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

export interface ResetTokenRow {
  id: string;
  user_id: number;
  token_hash: Buffer;
  expires_at: Date;
  used_at: Date | null;
}

export function createAuthRepository(db: Queryable) {
  return {
    async insertRefreshToken(
      t: { id: string; familyId: string; userId: number; hash: Buffer; ttlSeconds: number },
      q: Queryable = db,
    ): Promise<void> {
      await q.query(
        `INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at)
         VALUES ($1, $2, $3, $4, now() + $5 * interval '1 second')`,
        [t.id, t.familyId, t.userId, t.hash, t.ttlSeconds],
      );
    },

    /** Row-locks the token so two concurrent refreshes with it are serialised. */
    async lockRefreshToken(id: string, q: Queryable): Promise<RefreshTokenRow | undefined> {
      const { rows } = await q.query<RefreshTokenRow>(
        'SELECT id, family_id, user_id, token_hash, expires_at, used_at, revoked_at FROM refresh_tokens WHERE id = $1 FOR UPDATE',
        [id],
      );
      return rows[0];
    },

    async markRefreshTokenUsed(id: string, q: Queryable): Promise<void> {
      await q.query('UPDATE refresh_tokens SET used_at = now() WHERE id = $1', [id]);
    },

    async revokeFamily(familyId: string, q: Queryable = db): Promise<void> {
      await q.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [
        familyId,
      ]);
    },

    async revokeAllForUser(userId: number, q: Queryable = db): Promise<void> {
      await q.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
    },

    /**
     * Finds the active account with that email and stores a reset token for it, in one statement: a
     * request for an unknown email runs exactly the same statement, it just inserts nothing.
     */
    async insertResetTokenForEmail(t: {
      id: string;
      email: string;
      hash: Buffer;
      expiresAt: Date;
      /** The `notification_requested` event for the notification service; its user_id is filled in here. */
      event: NotificationRequestedV1;
    }): Promise<{ user_id: number; email: string } | undefined> {
      parseAnyEvent(t.event);
      // The token and the event asking for its mail commit together (the outbox), or neither does.
      const { rows } = await db.query<{ user_id: number; email: string }>(
        `WITH target AS (SELECT id, email FROM users WHERE lower(email) = lower($2) AND deleted_at IS NULL),
         token AS (
           INSERT INTO password_reset_tokens (id, user_id, token_hash, expires_at)
           SELECT $1, id, $3, $4 FROM target RETURNING user_id),
         event AS (
           INSERT INTO outbox (topic, message_key, event_id, event_type, payload)
           SELECT $5, token.user_id::text, $6, 'notification_requested', jsonb_set($7::jsonb, '{user_id}', to_jsonb(token.user_id))
           FROM token)
         SELECT user_id, (SELECT email FROM target) AS email FROM token`,
        [t.id, t.email, t.hash, t.expiresAt, TOPICS.notifications.name, t.event.event_id, JSON.stringify(t.event)],
      );
      return rows[0];
    },

    async lockResetToken(id: string, q: Queryable): Promise<ResetTokenRow | undefined> {
      const { rows } = await q.query<ResetTokenRow>(
        'SELECT id, user_id, token_hash, expires_at, used_at FROM password_reset_tokens WHERE id = $1 FOR UPDATE',
        [id],
      );
      return rows[0];
    },

    async markResetTokensUsed(userId: number, q: Queryable): Promise<void> {
      await q.query('UPDATE password_reset_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL', [
        userId,
      ]);
    },

    async lockedUntil(subject: string): Promise<Date | null> {
      const { rows } = await db.query<{ locked_until: Date | null }>(
        'SELECT locked_until FROM login_throttle WHERE subject = $1 AND locked_until > now()',
        [subject],
      );
      return rows[0]?.locked_until ?? null;
    },

    /**
     * Takes one attempt for the subject, atomically: returns false, changing nothing, when the subject is
     * locked or every attempt of the window is already taken. An expired window or lock starts afresh.
     */
    async reserveLoginAttempt(subject: string, limits: { maxFailures: number; windowSeconds: number }) {
      const fresh = `((t.locked_until IS NULL AND t.window_started_at < now() - $2 * interval '1 second')
        OR t.locked_until <= now())`;
      const { rowCount } = await db.query(
        `INSERT INTO login_throttle AS t (subject, failures, window_started_at) VALUES ($1, 1, now())
         ON CONFLICT (subject) DO UPDATE SET
           failures = CASE WHEN ${fresh} THEN 1 ELSE t.failures + 1 END,
           window_started_at = CASE WHEN ${fresh} THEN now() ELSE t.window_started_at END,
           locked_until = CASE WHEN ${fresh} THEN NULL ELSE t.locked_until END
         WHERE ${fresh} OR (t.locked_until IS NULL AND t.failures < $3)`,
        [subject, limits.windowSeconds, limits.maxFailures],
      );
      return rowCount === 1;
    },

    /** After a failed check: once the window's attempts are used up, the subject is locked. */
    async lockIfExhausted(subject: string, limits: { maxFailures: number; lockSeconds: number }): Promise<void> {
      await db.query(
        `UPDATE login_throttle SET locked_until = now() + $3 * interval '1 second'
         WHERE subject = $1 AND failures >= $2 AND locked_until IS NULL`,
        [subject, limits.maxFailures, limits.lockSeconds],
      );
    },

    async clearLoginFailures(subject: string): Promise<void> {
      await db.query('DELETE FROM login_throttle WHERE subject = $1', [subject]);
    },
  };
}

export type AuthRepository = ReturnType<typeof createAuthRepository>;

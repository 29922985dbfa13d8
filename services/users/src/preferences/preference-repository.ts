import type { Queryable } from '@emporium/kit';

export interface Preferences {
  email: boolean;
  sms: boolean;
  push: boolean;
  promotional: boolean;
}

export interface PushToken {
  token: string;
  platform: 'android' | 'ios' | 'web';
  created_at: Date;
}

export interface RecipientRow {
  id: number;
  email: string;
  username: string;
  full_name: string | null;
  phone: string | null;
  notify_email: boolean;
  notify_sms: boolean;
  notify_push: boolean;
  notify_promotional: boolean;
}

const PREFS = 'notify_email AS email, notify_sms AS sms, notify_push AS push, notify_promotional AS promotional';

export function createPreferenceRepository(db: Queryable) {
  return {
    /** Active accounts only: a deleted user is nobody to write to. */
    async findRecipient(userId: number): Promise<RecipientRow | undefined> {
      const { rows } = await db.query<RecipientRow>(
        `SELECT id, email, username, full_name, phone, notify_email, notify_sms, notify_push, notify_promotional
         FROM users WHERE id = $1 AND deleted_at IS NULL`,
        [userId],
      );
      return rows[0];
    },

    async preferences(userId: number): Promise<(Preferences & { phone: string | null }) | undefined> {
      const { rows } = await db.query<Preferences & { phone: string | null }>(
        `SELECT ${PREFS}, phone FROM users WHERE id = $1 AND deleted_at IS NULL`,
        [userId],
      );
      return rows[0];
    },

    /** SMS can be switched on only while the account has a phone number (checked in the same statement). */
    async updatePreferences(
      userId: number,
      patch: Partial<Preferences>,
    ): Promise<Preferences | 'no_phone' | undefined> {
      const { rows } = await db.query<Preferences & { ok: boolean }>(
        `UPDATE users SET
           notify_email = COALESCE($2, notify_email), notify_sms = COALESCE($3, notify_sms),
           notify_push = COALESCE($4, notify_push), notify_promotional = COALESCE($5, notify_promotional),
           updated_at = now()
         WHERE id = $1 AND deleted_at IS NULL AND (NOT COALESCE($3, false) OR phone IS NOT NULL)
         RETURNING ${PREFS}`,
        [userId, patch.email ?? null, patch.sms ?? null, patch.push ?? null, patch.promotional ?? null],
      );
      if (rows[0]) return rows[0];
      return (await this.preferences(userId)) ? 'no_phone' : undefined;
    },

    async pushTokens(userId: number): Promise<PushToken[]> {
      const { rows } = await db.query<PushToken>(
        'SELECT token, platform, created_at FROM push_tokens WHERE user_id = $1 ORDER BY created_at',
        [userId],
      );
      return rows;
    },

    async addPushToken(userId: number, token: string, platform: PushToken['platform']): Promise<PushToken> {
      const { rows } = await db.query<PushToken>(
        `INSERT INTO push_tokens (token, user_id, platform) VALUES ($1, $2, $3)
         ON CONFLICT (token) DO UPDATE SET user_id = $2, platform = $3, created_at = now()
         RETURNING token, platform, created_at`,
        [token, userId, platform],
      );
      return rows[0]!;
    },

    async removePushToken(userId: number, token: string): Promise<boolean> {
      const { rowCount } = await db.query('DELETE FROM push_tokens WHERE token = $1 AND user_id = $2', [token, userId]);
      return rowCount === 1;
    },
  };
}

export type PreferenceRepository = ReturnType<typeof createPreferenceRepository>;

import { assertSelfOrAdmin, DomainError, notFoundError, type Identity } from '@emporium/kit';
import type { Preferences, PreferenceRepository, PushToken } from './preference-repository.ts';

const toToken = (t: PushToken) => ({ token: t.token, platform: t.platform, created_at: t.created_at.toISOString() });

export function createPreferenceService({ repo }: { repo: PreferenceRepository }) {
  const notFound = () => notFoundError('user');
  async function settings(userId: number) {
    const prefs = await repo.preferences(userId);
    if (!prefs) throw notFound();
    const { phone: _phone, ...choices } = prefs;
    return { ...choices, push_tokens: (await repo.pushTokens(userId)).map(toToken) };
  }
  return {
    async get(identity: Identity, userId: number) {
      assertSelfOrAdmin(identity, userId, 'user');
      return settings(userId);
    },

    async update(identity: Identity, userId: number, patch: Partial<Preferences>) {
      assertSelfOrAdmin(identity, userId, 'user');
      const updated = await repo.updatePreferences(userId, patch);
      if (updated === undefined) throw notFound();
      if (updated === 'no_phone') {
        throw new DomainError('phone_required', 'conflict', 'Add a phone number to the account before choosing SMS.', {
          fields: [{ field: 'sms', message: 'needs a phone number on the account' }],
        });
      }
      return settings(userId);
    },

    async addPushToken(identity: Identity, userId: number, token: string, platform: PushToken['platform']) {
      assertSelfOrAdmin(identity, userId, 'user');
      if (!(await repo.preferences(userId))) throw notFound();
      return toToken(await repo.addPushToken(userId, token, platform));
    },

    async removePushToken(identity: Identity, userId: number, token: string) {
      assertSelfOrAdmin(identity, userId, 'user');
      if (!(await repo.removePushToken(userId, token))) {
        throw new DomainError('push_token_not_found', 'not_found', 'No such device token on this account.');
      }
    },

    /** For the notification service's internal call: who this person is and how they want to hear from us. */
    async recipient(userId: number) {
      const row = await repo.findRecipient(userId);
      if (!row) throw notFound();
      return {
        user_id: row.id,
        email: row.email,
        name: row.full_name ?? row.username,
        phone: row.phone,
        push_tokens: (await repo.pushTokens(userId)).map((t) => ({ token: t.token, platform: t.platform })),
        preferences: {
          email: row.notify_email,
          sms: row.notify_sms,
          push: row.notify_push,
          promotional: row.notify_promotional,
        },
      };
    },
  };
}

export type PreferenceService = ReturnType<typeof createPreferenceService>;

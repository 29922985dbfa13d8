import {
  assertSelfOrAdmin,
  beforeIdOf,
  idPage,
  instantOf,
  DomainError,
  notFoundError,
  isUniqueViolation,
  withTransaction,
  type Identity,
  type Pool,
} from '@emporium/kit';
import type { AuthRepository } from '../auth/auth-repository.ts';
import type { LoginGuard } from '../auth/login-guard.ts';
import type { PasswordHasher } from '../auth/password-hasher.ts';
import {
  assertPasswordAcceptable,
  normaliseEmail,
  toAdminUser,
  toPublicUser,
  type AdminUser,
  type PublicUser,
  type UserRow,
} from './user.ts';
import type { UserPatch, UserRepository } from './user-repository.ts';
import type { AdminListQuery, RegisterBody, UpdateBody } from './user-schemas.ts';

interface Deps {
  pool: Pool;
  users: UserRepository;
  auth: AuthRepository;
  hasher: PasswordHasher;
  guard: LoginGuard;
}

function conflictFor(err: unknown): DomainError | undefined {
  if (isUniqueViolation(err, 'users_username_key')) {
    return new DomainError('username_taken', 'conflict', 'That username is already taken.', {
      fields: [{ field: 'username', message: 'is already taken' }],
    });
  }
  if (isUniqueViolation(err, 'users_email_key')) {
    return new DomainError('email_taken', 'conflict', 'An account with that email already exists.', {
      fields: [{ field: 'email', message: 'is already registered' }],
    });
  }
  return undefined;
}

const notFound = () => notFoundError('user');

export function createUserService({ pool, users, auth, hasher, guard }: Deps) {
  /**
   * Email (the reset channel) and password are what a stolen access token would change to take an account
   * over, so the owner proves the current password, throttled like a login. An admin may change another
   * user's email without it (support), but never sets another user's password: that goes by a reset link.
   */
  async function assertMayChangeCredentials(identity: Identity, current: UserRow, input: UpdateBody): Promise<void> {
    if (identity.userId !== current.id) {
      if (input.password !== undefined) {
        const detail = "An admin cannot set another user's password; send them a password reset.";
        throw new DomainError('password_change_forbidden', 'forbidden', detail, {
          fields: [{ field: 'password', message: 'cannot be set for another user' }],
        });
      }
      return;
    }
    const given = input.current_password;
    const ok = given !== undefined && (await guard.check(`user:${current.id}`, given, current.password_hash));
    if (!ok) {
      const detail = 'Changing the email or password needs the current password.';
      throw new DomainError('current_password_wrong', 'forbidden', detail, {
        fields: [{ field: 'current_password', message: 'is missing or wrong' }],
      });
    }
  }

  async function activeUser(id: number) {
    const row = await users.findById(id);
    if (!row || row.deleted_at) throw notFound();
    return row;
  }

  return {
    async register(input: RegisterBody): Promise<PublicUser> {
      assertPasswordAcceptable(input.password);
      const passwordHash = await hasher.hash(input.password);
      try {
        const row = await users.insert({
          username: input.username,
          email: normaliseEmail(input.email),
          passwordHash,
          fullName: input.full_name ?? null,
          phone: input.phone ?? null,
          address: input.address ?? null,
          role: 'customer',
        });
        return toPublicUser(row);
      } catch (err) {
        throw conflictFor(err) ?? err;
      }
    },

    /** A deleted caller is treated as unauthenticated even while their access token has not expired. */
    async getMe(identity: Identity): Promise<PublicUser> {
      const row = await users.findById(identity.userId);
      if (!row || row.deleted_at)
        throw new DomainError('account_deleted', 'unauthenticated', 'This account no longer exists.');
      return toPublicUser(row);
    },

    /** Every account for the console, filtered; the route has checked the admin role. */
    async listUsers(query: AdminListQuery): Promise<{ items: AdminUser[]; next_cursor: string | null }> {
      const filter = {
        q: query.q,
        status: query.status,
        role: query.role,
        from: instantOf(query.from, 'from'),
        to: instantOf(query.to, 'to'),
      };
      const { shown, next_cursor } = idPage(
        await users.list(filter, beforeIdOf(query.cursor), query.limit + 1),
        query.limit,
      );
      return { items: shown.map(toAdminUser), next_cursor };
    },

    async getUser(identity: Identity, id: number): Promise<PublicUser> {
      assertSelfOrAdmin(identity, id, 'user');
      return toPublicUser(await activeUser(id));
    },

    async updateUser(identity: Identity, id: number, input: UpdateBody): Promise<PublicUser> {
      assertSelfOrAdmin(identity, id, 'user');
      const current = await activeUser(id);
      if (input.role !== undefined && identity.role !== 'admin') {
        throw new DomainError('role_change_forbidden', 'forbidden', 'Only an admin can change a role.', {
          fields: [{ field: 'role', message: 'cannot be set by you' }],
        });
      }
      const patch: UserPatch = {
        full_name: input.full_name,
        phone: input.phone,
        address: input.address,
        role: input.role,
      };
      const email = input.email === undefined ? undefined : normaliseEmail(input.email);
      if (email !== undefined && email !== current.email) patch.email = email;
      if (input.password !== undefined) assertPasswordAcceptable(input.password);
      const credentials = patch.email !== undefined || input.password !== undefined;
      if (credentials) await assertMayChangeCredentials(identity, current, input);
      if (input.password !== undefined) patch.password_hash = await hasher.hash(input.password);
      try {
        const row = await withTransaction(pool, async (tx) => {
          const updated = await users.update(id, patch, tx);
          if (updated && patch.password_hash) await auth.revokeAllForUser(id, tx);
          // Reset links went to the address on file when they were asked for; a new address or password ends them.
          if (updated && (patch.password_hash || patch.email)) await auth.markResetTokensUsed(id, tx);
          return updated;
        });
        if (!row) throw notFound();
        return toPublicUser(row);
      } catch (err) {
        throw conflictFor(err) ?? err;
      }
    },

    async deleteUser(identity: Identity, id: number): Promise<void> {
      assertSelfOrAdmin(identity, id, 'user');
      const deleted = await withTransaction(pool, async (tx) => {
        const ok = await users.softDelete(id, tx);
        if (ok) await auth.revokeAllForUser(id, tx);
        return ok;
      });
      if (!deleted) throw notFound();
    },

    /** Creates or promotes the configured admin at start; never changes an existing admin's password. */
    async bootstrapAdmin(email: string, password: string): Promise<{ id: number; created: boolean }> {
      assertPasswordAcceptable(password, 'ADMIN_PASSWORD');
      const hash = await hasher.hash(password);
      try {
        return await users.upsertAdmin('admin', normaliseEmail(email), hash);
      } catch (err) {
        // Someone already holds the name "admin": the admin account then gets a unique one.
        if (!isUniqueViolation(err, 'users_username_key')) throw err;
        return users.upsertAdmin(`admin_${Date.now().toString(36)}`, normaliseEmail(email), hash);
      }
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;

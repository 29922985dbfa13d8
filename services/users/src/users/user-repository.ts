import { containsPattern, type Queryable, type Role } from '@emporium/kit';
import type { UserRow } from './user.ts';

export interface NewUser {
  username: string;
  email: string;
  passwordHash: string;
  fullName: string | null;
  phone: string | null;
  address: string | null;
  role: Role;
}

export interface UserPatch {
  email?: string;
  full_name?: string | null;
  phone?: string | null;
  address?: string | null;
  password_hash?: string;
  role?: Role;
}

const COLUMNS =
  'id, username, email, password_hash, full_name, phone, address, role, deleted_at, created_at, updated_at';
const PATCHABLE = ['email', 'full_name', 'phone', 'address', 'password_hash', 'role'] as const;

export interface UserFilter {
  q?: string;
  status?: 'active' | 'deactivated';
  role?: Role;
  from?: Date;
  to?: Date;
}

export function createUserRepository(db: Queryable) {
  return {
    async insert(user: NewUser, q: Queryable = db): Promise<UserRow> {
      const { rows } = await q.query<UserRow>(
        `INSERT INTO users (username, email, password_hash, full_name, phone, address, role)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
        [user.username, user.email, user.passwordHash, user.fullName, user.phone, user.address, user.role],
      );
      return rows[0]!;
    },

    /** Includes soft-deleted users; callers decide what a deleted user means for them. */
    async findById(id: number, q: Queryable = db): Promise<UserRow | undefined> {
      // Named, so each connection parses and plans the hottest read once, not on every request.
      const text = `SELECT ${COLUMNS} FROM users WHERE id = $1`;
      const { rows } = await q.query<UserRow>({ name: 'users-find-by-id', text, values: [id] });
      return rows[0];
    },

    async findActiveByLogin(identifier: string): Promise<UserRow | undefined> {
      const { rows } = await db.query<UserRow>(
        `SELECT ${COLUMNS} FROM users WHERE (lower(username) = lower($1) OR lower(email) = lower($1)) AND deleted_at IS NULL`,
        [identifier],
      );
      return rows[0];
    },

    /** Every account, newest first, for the admin console. */
    async list(filter: UserFilter, beforeId: number | undefined, limit: number): Promise<UserRow[]> {
      const like = containsPattern(filter.q);
      const { rows } = await db.query<UserRow>(
        `SELECT ${COLUMNS} FROM users
         WHERE ($1::text IS NULL OR id::text = $1 OR username ILIKE $2 OR email ILIKE $2 OR full_name ILIKE $2)
           AND ($3::text IS NULL OR (deleted_at IS NULL) = ($3 = 'active'))
           AND ($4::text IS NULL OR role = $4)
           AND ($5::timestamptz IS NULL OR created_at >= $5)
           AND ($6::timestamptz IS NULL OR created_at < $6)
           AND ($7::int IS NULL OR id < $7)
         ORDER BY id DESC LIMIT $8`,
        [
          filter.q ?? null,
          like,
          filter.status ?? null,
          filter.role ?? null,
          filter.from ?? null,
          filter.to ?? null,
          beforeId ?? null,
          limit,
        ],
      );
      return rows;
    },

    async update(id: number, patch: UserPatch, q: Queryable = db): Promise<UserRow | undefined> {
      const keys = PATCHABLE.filter((k) => patch[k] !== undefined);
      const sets = keys.map((k, i) => `${k} = $${i + 2}`);
      const { rows } = await q.query<UserRow>(
        `UPDATE users SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
        [id, ...keys.map((k) => patch[k])],
      );
      return rows[0];
    },

    async softDelete(id: number, q: Queryable = db): Promise<boolean> {
      const { rowCount } = await q.query(
        'UPDATE users SET deleted_at = now(), updated_at = now() WHERE id = $1 AND deleted_at IS NULL',
        [id],
      );
      return rowCount === 1;
    },

    /** Creates the admin, or makes an existing account with that email an admin; returns its id. */
    async upsertAdmin(
      username: string,
      email: string,
      passwordHash: string,
    ): Promise<{ id: number; created: boolean }> {
      const { rows } = await db.query<{ id: number; created: boolean }>(
        `INSERT INTO users (username, email, password_hash, role) VALUES ($1, $2, $3, 'admin')
         ON CONFLICT (lower(email)) DO UPDATE SET role = 'admin', deleted_at = NULL, updated_at = now()
         RETURNING id, (xmax = 0) AS created`,
        [username, email, passwordHash],
      );
      return rows[0]!;
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;

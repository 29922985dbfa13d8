import { DomainError, type Role } from '@emporium/kit';

export interface UserRow {
  id: number;
  username: string;
  email: string;
  password_hash: string;
  full_name: string | null;
  phone: string | null;
  address: string | null;
  role: Role;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface PublicUser {
  id: number;
  username: string;
  email: string;
  full_name: string | null;
  phone: string | null;
  address: string | null;
  role: Role;
  created_at: string;
  updated_at: string;
}

/** The only way a user leaves this service: the hash never does. */
export function toPublicUser(row: UserRow): PublicUser {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    full_name: row.full_name,
    phone: row.phone,
    address: row.address,
    role: row.role,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export type AdminUser = PublicUser & { deleted_at: string | null };

export const toAdminUser = (row: UserRow): AdminUser => ({
  ...toPublicUser(row),
  deleted_at: row.deleted_at?.toISOString() ?? null,
});

// bcrypt reads at most 72 bytes: a longer password would be silently truncated, so it is refused.
export function assertPasswordAcceptable(password: string, field = 'password'): void {
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes < 8 || bytes > 72) {
    throw new DomainError('invalid_password', 'validation', 'The password must be 8 to 72 bytes long.', {
      fields: [{ field, message: 'must be 8 to 72 bytes long' }],
    });
  }
}

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

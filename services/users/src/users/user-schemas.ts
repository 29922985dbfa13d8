import { Type, type Static } from 'typebox';

const Username = Type.String({ minLength: 3, maxLength: 80, pattern: '^[A-Za-z0-9_.-]+$' });
const Email = Type.String({ format: 'email', maxLength: 120 });
const Password = Type.String({ minLength: 1, maxLength: 200 });
const FullName = Type.String({ minLength: 1, maxLength: 120 });
const Phone = Type.String({ pattern: '^[+0-9 ().-]{3,20}$' });
const Address = Type.String({ minLength: 1, maxLength: 1000 });

export const UserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  email: Type.String(),
  full_name: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  role: Type.Union([Type.Literal('customer'), Type.Literal('admin')]),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const RegisterBody = Type.Object(
  {
    username: Username,
    email: Email,
    password: Password,
    full_name: Type.Optional(FullName),
    phone: Type.Optional(Phone),
    address: Type.Optional(Address),
  },
  { additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBody>;

export const UpdateBody = Type.Object(
  {
    email: Type.Optional(Email),
    full_name: Type.Optional(Type.Union([FullName, Type.Null()])),
    phone: Type.Optional(Type.Union([Phone, Type.Null()])),
    address: Type.Optional(Type.Union([Address, Type.Null()])),
    password: Type.Optional(Password),
    current_password: Type.Optional(Password),
    role: Type.Optional(Type.Union([Type.Literal('customer'), Type.Literal('admin')])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateBody = Static<typeof UpdateBody>;

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
export type IdParams = Static<typeof IdParams>;

/** What the admin list shows: the public user plus when (if ever) the account was deactivated. */
export const AdminUserSchema = Type.Object({
  ...UserSchema.properties,
  deleted_at: Type.Union([Type.String(), Type.Null()]),
});

const Instant = Type.Union([Type.String({ format: 'date' }), Type.String({ format: 'date-time' })], {
  description: 'A date (midnight UTC) or an ISO 8601 date-time',
});
export const AdminListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 120, description: 'An id, or text in the username, email or full name' }),
    ),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('deactivated')])),
    role: Type.Optional(Type.Union([Type.Literal('customer'), Type.Literal('admin')])),
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
  },
  { additionalProperties: false },
);
export type AdminListQuery = {
  limit: number;
  cursor?: string;
  q?: string;
  status?: 'active' | 'deactivated';
  role?: 'customer' | 'admin';
  from?: string;
  to?: string;
};

export const AdminPageSchema = Type.Object({
  items: Type.Array(AdminUserSchema),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

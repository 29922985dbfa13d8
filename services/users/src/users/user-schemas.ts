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

import { Type, type Static } from 'typebox';
import { UserSchema } from '../users/user-schemas.ts';

const Secret = Type.String({ minLength: 1, maxLength: 200 });

export const LoginBody = Type.Object(
  {
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    email: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    password: Secret,
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const RefreshBody = Type.Object({ refresh_token: Secret }, { additionalProperties: false });
export type RefreshBody = Static<typeof RefreshBody>;

export const ResetRequestBody = Type.Object(
  { email: Type.String({ format: 'email', maxLength: 120 }) },
  { additionalProperties: false },
);
export type ResetRequestBody = Static<typeof ResetRequestBody>;

export const ResetConfirmBody = Type.Object({ token: Secret, new_password: Secret }, { additionalProperties: false });
export type ResetConfirmBody = Static<typeof ResetConfirmBody>;

export const AcceptedSchema = Type.Object({ status: Type.Literal('accepted'), detail: Type.String() });

export const TokenPairSchema = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  refresh_token: Type.String(),
  user: UserSchema,
});

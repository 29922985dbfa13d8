import { ERRORS, errorResponses, NoContent } from '@emporium/kit';
import { Type, type Static } from 'typebox';

export const UserParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
export type UserParams = Static<typeof UserParams>;
export const TokenParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  token: Type.String({ minLength: 10, maxLength: 4096 }),
});
export type TokenParams = Static<typeof TokenParams>;

export const PreferencesBody = Type.Object(
  {
    email: Type.Optional(Type.Boolean()),
    sms: Type.Optional(Type.Boolean()),
    push: Type.Optional(Type.Boolean()),
    promotional: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PreferencesBody = Static<typeof PreferencesBody>;

const Platform = Type.Union([Type.Literal('android'), Type.Literal('ios'), Type.Literal('web')]);
export const PushTokenBody = Type.Object(
  { token: Type.String({ pattern: '^[A-Za-z0-9_:.-]{10,4096}$' }), platform: Platform },
  { additionalProperties: false },
);
export type PushTokenBody = Static<typeof PushTokenBody>;

const PushTokenSchema = Type.Object({ token: Type.String(), platform: Type.String(), created_at: Type.String() });
export const SettingsSchema = Type.Object({
  email: Type.Boolean(),
  sms: Type.Boolean(),
  push: Type.Boolean(),
  promotional: Type.Boolean(),
  push_tokens: Type.Array(PushTokenSchema),
});

export const RecipientSchema = Type.Object({
  user_id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  push_tokens: Type.Array(Type.Object({ token: Type.String(), platform: Type.String() })),
  preferences: Type.Object({
    email: Type.Boolean(),
    sms: Type.Boolean(),
    push: Type.Boolean(),
    promotional: Type.Boolean(),
  }),
});

export const SettingsResponses = { 200: SettingsSchema, ...errorResponses(400, ERRORS.signedIn, 404) };
export const UpdateResponses = { 200: SettingsSchema, ...errorResponses(ERRORS.body, ERRORS.signedIn, 404, 409) };
export const AddTokenResponses = { 201: PushTokenSchema, ...errorResponses(ERRORS.body, ERRORS.signedIn, 404) };
export const RemoveTokenResponses = { 204: NoContent, ...errorResponses(400, ERRORS.signedIn, 404) };

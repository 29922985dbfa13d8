import { Type, type Static } from 'typebox';

/**
 * Another service asks for a message to a user (topic `notifications`, key: user_id). It names the user,
 * never their address: the notification service looks the recipient up, as for order events.
 * `password_reset` carries the single-use reset token (valid until `expires_at`); the mail holds the link.
 */
export const NotificationRequestedV1 = Type.Object({
  event_id: Type.String({ format: 'uuid' }),
  event_type: Type.Literal('notification_requested'),
  event_version: Type.Literal(1),
  notification_type: Type.Literal('password_reset'),
  user_id: Type.Integer({ minimum: 1 }),
  data: Type.Object({
    reset_token: Type.String({ minLength: 10, maxLength: 200 }),
    expires_at: Type.String({ format: 'date-time' }),
  }),
  requested_by: Type.String({ minLength: 1, maxLength: 50 }),
  timestamp: Type.String({ format: 'date-time' }),
});
export type NotificationRequestedV1 = Static<typeof NotificationRequestedV1>;

export const notificationRequestedV1Example: NotificationRequestedV1 = {
  event_id: '5f0c2a1e-9b8d-4c7e-a6f5-4e3d2c1b0a99',
  event_type: 'notification_requested',
  event_version: 1,
  notification_type: 'password_reset',
  user_id: 456,
  data: { reset_token: 'rst_0123456789abcdef', expires_at: '2025-11-23T11:30:00.000Z' },
  requested_by: 'users',
  timestamp: '2025-11-23T10:30:00.000Z',
};

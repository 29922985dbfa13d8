import { ERRORS, errorResponses } from '@emporium/kit';
import { Type, type Static } from 'typebox';
import { NOTICE_TYPES } from '../notices/notice.ts';

const Cursor = Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$' }));
const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 20 });
const NoticeType = Type.Union(NOTICE_TYPES.map((t) => Type.Literal(t)));
const Channel = Type.Union([Type.Literal('email'), Type.Literal('sms'), Type.Literal('push')]);
const Status = Type.Union(['queued', 'sent', 'failed', 'dead', 'skipped'].map((s) => Type.Literal(s)));
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const PageQuery = Type.Object({ limit: Limit, cursor: Cursor }, { additionalProperties: false });
export type PageQuery = Static<typeof PageQuery>;

export const DeliveryQuery = Type.Object(
  {
    limit: Limit,
    cursor: Cursor,
    status: Type.Optional(Status),
    channel: Type.Optional(Type.Union([Channel, Type.Literal('none')])),
    type: Type.Optional(Type.String({ maxLength: 50 })),
    user_id: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    event_id: Type.Optional(Type.String({ format: 'uuid' })),
    order_id: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
  },
  { additionalProperties: false },
);
export type DeliveryQuery = Static<typeof DeliveryQuery>;

export const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,19}$' }) });
export type IdParams = Static<typeof IdParams>;

export const TypeParams = Type.Object({ type: NoticeType });
export type TypeParams = Static<typeof TypeParams>;
export const PreviewQuery = Type.Object({ channel: Type.Optional(Channel) }, { additionalProperties: false });
export type PreviewQuery = Static<typeof PreviewQuery>;

/** SPEC: `{channel, to, subject?, template?, data?, body?}`; a template or a body, not neither. */
export const SendBody = Type.Object(
  {
    channel: Channel,
    to: Type.String({ minLength: 3, maxLength: 4096 }),
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    template: Type.Optional(NoticeType),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    body: Type.Optional(Type.String({ minLength: 1, maxLength: 10_000 })),
  },
  { additionalProperties: false },
);
export type SendBody = Static<typeof SendBody>;

export const MessageSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  channel: Type.String(),
  to: Type.String(),
  subject: Nullable(Type.String()),
  body: Nullable(Type.String({ description: 'null for messages that hold a secret (a reset link)' })),
  status: Type.String(),
  created_at: Type.String(),
  sent_at: Nullable(Type.String()),
});

export const DeliverySchema = Type.Object({
  id: Type.String(),
  event_id: Type.String(),
  source_topic: Type.String(),
  notification_type: Type.String(),
  channel: Type.String(),
  recipient: Type.String(),
  user_id: Nullable(Type.Integer()),
  subject: Nullable(Type.String()),
  body_text: Nullable(Type.String()),
  status: Type.String(),
  attempts: Type.Integer(),
  next_attempt_at: Type.String(),
  provider_message_id: Nullable(Type.String()),
  last_error: Nullable(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
  sent_at: Nullable(Type.String()),
});

const page = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item), next_cursor: Nullable(Type.String()) });

const Rendered = Type.Object({ subject: Nullable(Type.String()), text: Type.String(), html: Nullable(Type.String()) });
export const PreviewSchema = Type.Object({
  type: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
  channels: Type.Record(Type.String(), Rendered),
});
export const TemplateListSchema = Type.Object({
  items: Type.Array(
    Type.Object({ type: Type.String(), channels: Type.Array(Type.String()), files: Type.Array(Type.String()) }),
  ),
});

export const MessagesResponses = { 200: page(MessageSchema), ...errorResponses(400, ERRORS.signedIn) };
export const DeliveriesResponses = { 200: page(DeliverySchema), ...errorResponses(400, ERRORS.admin) };
export const DeliveryResponses = { 200: DeliverySchema, ...errorResponses(400, ERRORS.admin, 404) };
export const RetryResponses = { 200: DeliverySchema, ...errorResponses(400, ERRORS.admin, 404, 409, 503) };
export const SendResponses = { 202: DeliverySchema, ...errorResponses(ERRORS.body, ERRORS.admin) };
export const TemplatesResponses = { 200: TemplateListSchema, ...errorResponses(ERRORS.admin) };
export const PreviewResponses = { 200: PreviewSchema, ...errorResponses(400, ERRORS.admin) };

import { Type, type Static } from 'typebox';
import { ProductSchema } from '../catalog/product-schemas.ts';
import { IMAGE_CONTENT_TYPES, REJECTION_REASONS, UPLOAD_ID_PATTERN } from './image-upload.ts';

const UploadId = Type.String({ pattern: UPLOAD_ID_PATTERN });
const ObjectVersion = Type.String({ minLength: 1, maxLength: 1024 });
const DerivedKey = Type.String({ minLength: 1, maxLength: 512 });

export const UploadRequest = Type.Object(
  {
    content_type: Type.Union(IMAGE_CONTENT_TYPES.map((t) => Type.Literal(t))),
    // The storage refuses any other length: the signed Content-Length must match the body.
    content_length: Type.Integer({ minimum: 1, maximum: 1024 * 1024 * 1024 }),
  },
  { additionalProperties: false },
);
export type UploadRequest = Static<typeof UploadRequest>;

export const UploadTicket = Type.Object({
  upload_id: Type.String(),
  upload_url: Type.String(),
  method: Type.Literal('PUT'),
  headers: Type.Record(Type.String(), Type.String()),
  expires_at: Type.String(),
  max_bytes: Type.Integer(),
});

export const UploadSchema = Type.Object({
  product_id: Type.Integer(),
  upload_id: Type.String(),
  object_key: Type.String(),
  content_type: Type.String(),
  content_length: Type.Integer(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('processed'), Type.Literal('rejected')]),
  created_at: Type.String(),
  expires_at: Type.String(),
  processed_at: Type.Optional(Type.String()),
  object_version: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  detail: Type.Optional(Type.String()),
  image_url: Type.Optional(Type.String()),
  thumbnail_url: Type.Optional(Type.String()),
});

export const UploadPage = Type.Object({
  items: Type.Array(UploadSchema),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

export const UploadListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(UploadId),
  },
  { additionalProperties: false },
);
export type UploadListQuery = Static<typeof UploadListQuery>;

export const ProcessedBody = Type.Object(
  {
    upload_id: UploadId,
    object_version: ObjectVersion,
    uploaded_at: Type.String({ format: 'date-time' }),
    image_key: DerivedKey,
    thumbnail_key: DerivedKey,
  },
  { additionalProperties: false },
);
export type ProcessedBody = Static<typeof ProcessedBody>;

export const ProcessedAnswer = Type.Object({
  outcome: Type.Union([Type.Literal('updated'), Type.Literal('unchanged')]),
  product: ProductSchema,
});

export const RejectedBody = Type.Object(
  {
    upload_id: UploadId,
    object_version: ObjectVersion,
    reason: Type.Union(REJECTION_REASONS.map((r) => Type.Literal(r))),
    detail: Type.String({ maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type RejectedBody = Static<typeof RejectedBody>;

import { randomBytes } from 'node:crypto';

/** What an admin may upload; the function checks the bytes again, whatever the type claimed. */
export const IMAGE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif'] as const;
export type ImageContentType = (typeof IMAGE_CONTENT_TYPES)[number];

export type UploadStatus = 'pending' | 'processed' | 'rejected';
export const REJECTION_REASONS = ['not_an_image', 'too_large', 'too_many_pixels', 'product_not_found'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface ImageUpload {
  product_id: number;
  upload_id: string;
  object_key: string;
  content_type: string;
  content_length: number;
  status: UploadStatus;
  created_at: string;
  expires_at: string;
  processed_at?: string;
  object_version?: string;
  reason?: RejectionReason;
  detail?: string;
  image_url?: string;
  thumbnail_url?: string;
}

export const UPLOAD_ID_PATTERN = '^[0-9a-f]{24}$';

/** Hex time then randomness: ids sort by creation, so a product's uploads list newest first. */
export const newUploadId = (now: Date): string =>
  now.getTime().toString(16).padStart(12, '0') + randomBytes(6).toString('hex');

/** Where the browser puts the original. The bucket notification fires for this prefix only. */
export const uploadKey = (productId: number, uploadId: string): string => `uploads/${productId}/${uploadId}`;

/** Derived images of one upload live under this prefix, the only part of the bucket served to browsers. */
export const derivedPrefix = (productId: number, uploadId: string): string => `products/${productId}/${uploadId}/`;

const DERIVED_KEY = /^products\/\d+\/[0-9a-f]{24}\/[A-Za-z0-9_-]{1,64}\/[a-z0-9-]{1,32}\.webp$/;

/** A derived key the function reports must belong to that product and upload, and be a WebP file. */
export const isDerivedKeyOf = (key: string, productId: number, uploadId: string): boolean =>
  DERIVED_KEY.test(key) && key.startsWith(derivedPrefix(productId, uploadId));

/**
 * Orders image updates: later uploads win, and the same object version twice compares equal, so a
 * repeated event changes nothing. ISO timestamps compare correctly as strings.
 */
export const imageVersionOf = (uploadedAt: string, uploadId: string, objectVersion: string): string =>
  `${new Date(uploadedAt).toISOString()}|${uploadId}|${objectVersion}`;

export const assetUrl = (baseUrl: string, key: string): string => `${baseUrl}/${key}`;

import { DomainError } from '@emporium/kit';
import type { ProductCache } from '../cache/product-cache.ts';
import type { ProductRepository } from '../catalog/product-repository.ts';
import { toProduct, type Product } from '../catalog/product.ts';
import type { ImagePresigner } from './image-presigner.ts';
import type { ImageUploadRepository } from './image-upload-repository.ts';
import {
  assetUrl,
  imageVersionOf,
  isDerivedKeyOf,
  newUploadId,
  uploadKey,
  type ImageUpload,
  type RejectionReason,
} from './image-upload.ts';

interface Deps {
  uploads: ImageUploadRepository;
  products: ProductRepository;
  cache: ProductCache;
  presign: ImagePresigner;
  assetsBaseUrl: string;
  maxBytes: number;
  now?: () => Date;
}

export interface ProcessedImage {
  upload_id: string;
  object_version: string;
  uploaded_at: string;
  image_key: string;
  thumbnail_key: string;
}

const productNotFound = () => new DomainError('product_not_found', 'not_found', 'No such product.');
const uploadNotFound = () => new DomainError('upload_not_found', 'not_found', 'No such image upload for this product.');

export function createImageUploadService({ uploads, products, cache, presign, assetsBaseUrl, maxBytes, now }: Deps) {
  const clock = now ?? (() => new Date());

  async function findUpload(productId: number, uploadId: string): Promise<ImageUpload> {
    const upload = await uploads.get(productId, uploadId);
    if (!upload) throw uploadNotFound();
    return upload;
  }

  return {
    /** A presigned PUT for one picture of one product; the upload is recorded as pending. */
    async requestUpload(productId: number, input: { content_type: string; content_length: number }) {
      if (input.content_length > maxBytes) {
        throw new DomainError('image_too_large', 'validation', `An image may be at most ${maxBytes} bytes.`, {
          fields: [{ field: 'content_length', message: `must be at most ${maxBytes}` }],
          extra: { max_bytes: maxBytes },
        });
      }
      if (!(await products.get(productId))) throw productNotFound();
      const at = clock();
      const uploadId = newUploadId(at);
      const key = uploadKey(productId, uploadId);
      const signed = await presign({ key, contentType: input.content_type, contentLength: input.content_length });
      await uploads.create({
        product_id: productId,
        upload_id: uploadId,
        object_key: key,
        content_type: input.content_type,
        content_length: input.content_length,
        status: 'pending',
        created_at: at.toISOString(),
        expires_at: signed.expiresAt.toISOString(),
      });
      return {
        upload_id: uploadId,
        upload_url: signed.url,
        method: 'PUT' as const,
        headers: signed.headers,
        expires_at: signed.expiresAt.toISOString(),
        max_bytes: maxBytes,
      };
    },

    async listUploads(productId: number, limit: number, cursor?: string) {
      const page = await uploads.list(productId, limit, cursor);
      if (page.items.length === 0 && !cursor && !(await products.get(productId))) throw productNotFound();
      return { items: page.items.map(publicUpload), next_cursor: page.last ?? null };
    },

    /**
     * The function made the sizes: show them on the product, once per object version. Returns whether
     * this call changed the product, so a repeated event can be seen to do nothing.
     */
    async recordProcessed(
      productId: number,
      image: ProcessedImage,
    ): Promise<{ outcome: 'updated' | 'unchanged'; product: Product }> {
      await findUpload(productId, image.upload_id);
      for (const [field, key] of [
        ['image_key', image.image_key],
        ['thumbnail_key', image.thumbnail_key],
      ] as const) {
        if (!isDerivedKeyOf(key, productId, image.upload_id)) {
          throw new DomainError('validation_failed', 'validation', 'The image keys do not belong to this upload.', {
            fields: [{ field, message: 'must be a WebP key under this upload' }],
          });
        }
      }
      const urls = {
        image_url: assetUrl(assetsBaseUrl, image.image_key),
        thumbnail_url: assetUrl(assetsBaseUrl, image.thumbnail_key),
      };
      const at = clock().toISOString();
      const version = imageVersionOf(image.uploaded_at, image.upload_id, image.object_version);
      const result = await uploads.setImage(productId, { ...urls, image_version: version }, at);
      if (result.outcome === 'missing') throw productNotFound();
      if (result.outcome === 'updated') await cache.invalidate([productId]);
      await uploads.recordOutcome(productId, image.upload_id, {
        status: 'processed',
        processed_at: at,
        object_version: image.object_version,
        ...urls,
      });
      return { outcome: result.outcome, product: toProduct(result.item) };
    },

    /** The function refused the file; the product is left as it was, and the admin can see why. */
    async recordRejected(
      productId: number,
      rejection: { upload_id: string; object_version: string; reason: RejectionReason; detail: string },
    ): Promise<ImageUpload> {
      await findUpload(productId, rejection.upload_id);
      const fields = {
        status: 'rejected' as const,
        processed_at: clock().toISOString(),
        object_version: rejection.object_version,
        reason: rejection.reason,
        detail: rejection.detail,
      };
      await uploads.recordOutcome(productId, rejection.upload_id, fields);
      return publicUpload({ ...(await findUpload(productId, rejection.upload_id)), ...fields });
    },
  };
}

function publicUpload(u: ImageUpload): ImageUpload {
  const { product_id, upload_id, object_key, content_type, content_length, status, created_at, expires_at } = u;
  return {
    product_id,
    upload_id,
    object_key,
    content_type,
    content_length,
    status,
    created_at,
    expires_at,
    ...(u.processed_at ? { processed_at: u.processed_at } : {}),
    ...(u.object_version ? { object_version: u.object_version } : {}),
    ...(u.reason ? { reason: u.reason, detail: u.detail ?? '' } : {}),
    ...(u.image_url ? { image_url: u.image_url, thumbnail_url: u.thumbnail_url! } : {}),
  };
}

export type ImageUploadService = ReturnType<typeof createImageUploadService>;

import { createHash } from 'node:crypto';
import { makeSizes, type RejectionReason, type SizeOptions } from './image-sizes.ts';
import type { ObjectStore } from './object-store.ts';
import type { ProductsClient } from './products-client.ts';
import type { UploadRef } from './s3-event.ts';

export type Outcome =
  | { key: string; outcome: 'updated' | 'unchanged' }
  | { key: string; outcome: 'rejected'; reason: RejectionReason | 'unknown_upload' };

export interface ProcessDeps {
  store: ObjectStore;
  products: ProductsClient;
  sizes: SizeOptions;
  maxUploadBytes: number;
  log?: (line: Record<string, unknown>) => void;
}

/** Derived keys name the object version, so a repeated event finds its own set and a new upload never overwrites one. */
export function derivedKeys(upload: UploadRef): { medium: string; thumbnail: string } {
  const version = createHash('sha256').update(upload.version).digest('hex').slice(0, 16);
  const prefix = `products/${upload.productId}/${upload.uploadId}/${version}`;
  return { medium: `${prefix}/medium.webp`, thumbnail: `${prefix}/thumb.webp` };
}

/**
 * One uploaded object: check it, make its sizes, tell products. Safe to run any number of times for the
 * same object version (S3 delivers at least once, Lambda retries): the sizes are made once, products
 * updates once. A bad file is rejected for good (tagged, recorded for the admin) and the invocation
 * succeeds, so it is not retried; anything else throws and is retried, then dead-lettered.
 */
export async function processUpload(upload: UploadRef, deps: ProcessDeps): Promise<Outcome> {
  const { store, products } = deps;
  const log = deps.log ?? (() => undefined);
  const keys = derivedKeys(upload);

  const rejectUpload = async (reason: RejectionReason, detail: string): Promise<Outcome> => {
    await store.tag(upload.bucket, upload.key, { 'emporium-image': 'rejected', 'emporium-reason': reason });
    await products.imageRejected(upload.productId, {
      upload_id: upload.uploadId,
      object_version: upload.version,
      reason,
      detail,
    });
    log({ level: 'warn', msg: 'image rejected', key: upload.key, version: upload.version, reason, detail });
    return { key: upload.key, outcome: 'rejected', reason };
  };

  if (upload.size !== undefined && upload.size > deps.maxUploadBytes) {
    return rejectUpload('too_large', `${upload.size} bytes is more than ${deps.maxUploadBytes}.`);
  }
  const done = (await store.exists(upload.bucket, keys.medium)) && (await store.exists(upload.bucket, keys.thumbnail));
  if (!done) {
    const original = await store.read(upload.bucket, upload.key, deps.maxUploadBytes);
    if (!original) return rejectUpload('too_large', `The object is more than ${deps.maxUploadBytes} bytes.`);
    const sizes = await makeSizes(original, deps.sizes);
    if (!sizes.ok) return rejectUpload(sizes.reason, sizes.detail);
    // Thumbnail first, medium last: the medium's presence is what marks the set complete above.
    await store.write(upload.bucket, keys.thumbnail, sizes.thumbnail, 'image/webp');
    await store.write(upload.bucket, keys.medium, sizes.medium, 'image/webp');
  }
  const answer = await products.imageProcessed(upload.productId, {
    upload_id: upload.uploadId,
    object_version: upload.version,
    uploaded_at: upload.uploadedAt,
    image_key: keys.medium,
    thumbnail_key: keys.thumbnail,
  });
  if (answer === 'product_not_found') return rejectUpload('product_not_found', 'The product no longer exists.');
  if (answer === 'upload_not_found') {
    // Not an upload the products service handed out: nobody to tell but the object itself.
    await store.tag(upload.bucket, upload.key, { 'emporium-image': 'rejected', 'emporium-reason': 'unknown_upload' });
    log({ level: 'warn', msg: 'object is not a known upload', key: upload.key });
    return { key: upload.key, outcome: 'rejected', reason: 'unknown_upload' };
  }
  await store.tag(upload.bucket, upload.key, { 'emporium-image': 'processed' });
  log({
    level: 'info',
    msg: 'image processed',
    key: upload.key,
    version: upload.version,
    outcome: answer,
    skipped: done,
  });
  return { key: upload.key, outcome: answer };
}

import { createServiceCredential } from '@emporium/kit/service-auth';
import type { RejectionReason } from './image-sizes.ts';

export interface ProcessedImage {
  upload_id: string;
  object_version: string;
  uploaded_at: string;
  image_key: string;
  thumbnail_key: string;
}

export type ReportAnswer = 'updated' | 'unchanged' | 'product_not_found' | 'upload_not_found';

/** The products service's internal image routes, called with this function's service credential. */
export interface ProductsClient {
  imageProcessed(productId: number, image: ProcessedImage): Promise<ReportAnswer>;
  imageRejected(
    productId: number,
    rejection: { upload_id: string; object_version: string; reason: RejectionReason; detail: string },
  ): Promise<'recorded' | 'upload_not_found'>;
}

/** Thrown for answers worth retrying (5xx, network, timeouts); the invocation fails and Lambda retries it. */
export class TransientError extends Error {}

export function createProductsClient(options: {
  baseUrl: string;
  privateKeyPem: string;
  timeoutMs: number;
}): ProductsClient {
  const credential = createServiceCredential({ service: 'product-images', privateKeyPem: options.privateKeyPem });

  async function post(path: string, body: object): Promise<{ status: number; json: Record<string, unknown> }> {
    let res: Response;
    try {
      res = await fetch(options.baseUrl + path, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await credential.tokenFor('products')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (err) {
      throw new TransientError(`products unreachable: ${err instanceof Error ? err.message : String(err)}`);
    }
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status >= 500 || res.status === 429) throw new TransientError(`products answered ${res.status}`);
    if (res.status >= 400 && res.status !== 404) {
      // Our own request was refused (a bad key, a bug): retrying will not help, the dead-letter queue will.
      throw new Error(`products refused the call: ${res.status} ${String(json['code'])}`);
    }
    return { status: res.status, json };
  }

  return {
    async imageProcessed(productId, image) {
      const { status, json } = await post(`/internal/products/${productId}/images`, image);
      if (status === 404) return json['code'] === 'upload_not_found' ? 'upload_not_found' : 'product_not_found';
      return json['outcome'] as 'updated' | 'unchanged';
    },
    async imageRejected(productId, rejection) {
      const { status } = await post(`/internal/products/${productId}/image-rejections`, rejection);
      return status === 404 ? 'upload_not_found' : 'recorded';
    },
  };
}

import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

export interface PresignedPut {
  url: string;
  headers: Record<string, string>;
  expiresAt: Date;
}

export type ImagePresigner = (input: {
  key: string;
  contentType: string;
  contentLength: number;
}) => Promise<PresignedPut>;

export interface PresignerOptions {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint (path-style); unset on AWS. */
  endpoint?: string | undefined;
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  expiresSeconds: number;
  now?: () => Date;
}

/**
 * Presigned PUTs with Content-Type and Content-Length among the signed headers: S3 refuses a body of
 * another length or type (403), so the size cap is enforced by the storage, not only by the client.
 * Signing is local: no call to S3 is made here.
 */
export function createImagePresigner(options: PresignerOptions): ImagePresigner {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // Otherwise the SDK signs a checksum of the empty body into the URL, and S3 refuses the real upload.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const now = options.now ?? (() => new Date());
  return async ({ key, contentType, contentLength }) => {
    const signedAt = now();
    const command = new PutObjectCommand({
      Bucket: options.bucket,
      Key: key,
      ContentType: contentType,
      ContentLength: contentLength,
    });
    const url = await getSignedUrl(client, command, {
      expiresIn: options.expiresSeconds,
      signingDate: signedAt,
      signableHeaders: new Set(['content-type', 'content-length']),
    });
    return {
      url,
      headers: { 'content-type': contentType },
      expiresAt: new Date(signedAt.getTime() + options.expiresSeconds * 1000),
    };
  };
}

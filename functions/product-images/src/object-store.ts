import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';

/** The four S3 calls the function makes; a fake of this in the unit tests, S3 (or the local server) otherwise. */
export interface ObjectStore {
  exists(bucket: string, key: string): Promise<boolean>;
  /** The object's bytes, or undefined when it is longer than `maxBytes` (never read past that). */
  read(bucket: string, key: string, maxBytes: number): Promise<Buffer | undefined>;
  write(bucket: string, key: string, body: Buffer, contentType: string): Promise<void>;
  tag(bucket: string, key: string, tags: Record<string, string>): Promise<void>;
}

export function createS3ObjectStore(options: { region: string; endpoint?: string | undefined }): ObjectStore {
  const s3 = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    maxAttempts: 3,
  });
  return {
    async exists(bucket, key) {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch (err) {
        if (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404) return false;
        throw err;
      }
    },
    async read(bucket, key, maxBytes) {
      const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if ((res.ContentLength ?? 0) > maxBytes) {
        res.Body?.transformToWebStream()
          .cancel()
          .catch(() => undefined);
        return undefined;
      }
      const bytes = await res.Body!.transformToByteArray();
      return bytes.length > maxBytes ? undefined : Buffer.from(bytes);
    },
    async write(bucket, key, body, contentType) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          // Each object version gets keys of its own, so a browser may keep a picture for good.
          CacheControl: 'public, max-age=31536000, immutable',
        }),
      );
    },
    async tag(bucket, key, tags) {
      const TagSet = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
      await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet } }));
    },
  };
}

/** The parts of an S3 event notification (event version 2.x) this function reads. */
export interface S3EventRecord {
  eventVersion: string;
  eventSource: string;
  eventName: string;
  eventTime: string;
  s3: {
    bucket: { name: string };
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer?: string };
  };
}

export interface S3Event {
  Records?: S3EventRecord[];
}

export interface UploadRef {
  bucket: string;
  key: string;
  productId: number;
  uploadId: string;
  /** The object version this event is about: its version id on a versioned bucket, else its ETag. */
  version: string;
  size: number | undefined;
  uploadedAt: string;
}

const UPLOAD_KEY = /^uploads\/([1-9]\d{0,15})\/([0-9a-f]{24})$/;

/** S3 sends keys URL-encoded, with spaces as `+`. */
export const decodeKey = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

/** The upload an ObjectCreated record is about, or undefined for anything this function does not handle. */
export function uploadOf(record: S3EventRecord): UploadRef | undefined {
  if (record.eventSource !== 'aws:s3' || !record.eventName.startsWith('ObjectCreated:')) return undefined;
  const key = decodeKey(record.s3.object.key);
  const match = UPLOAD_KEY.exec(key);
  if (!match) return undefined;
  const { versionId, eTag, sequencer } = record.s3.object;
  const version = versionId || eTag?.replace(/"/g, '') || sequencer;
  if (!version) return undefined;
  return {
    bucket: record.s3.bucket.name,
    key,
    productId: Number(match[1]),
    uploadId: match[2]!,
    version,
    size: record.s3.object.size,
    uploadedAt: record.eventTime,
  };
}

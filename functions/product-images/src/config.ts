import { int, loadConfig, parsed, str, url, type ConfigOf } from '@emporium/kit/config';
import { parseServicePrivateKey } from '@emporium/kit/service-auth';

const shape = {
  /** The products service's internal API (in the cluster: through an internal load balancer or VPC link). */
  productsUrl: url('PRODUCTS_URL'),
  /** This function's Ed25519 key; products trusts its public key as `product-images` (decision 0009). */
  servicePrivateKey: parsed('SERVICE_PRIVATE_KEY', parseServicePrivateKey, { secret: true }),
  productsTimeoutMs: int('PRODUCTS_TIMEOUT_MS', { default: 5_000, min: 100 }),
  /** An S3-compatible endpoint (the local S3 server); unset on AWS. */
  s3Endpoint: url('S3_ENDPOINT', { optional: true }),
  awsRegion: str('AWS_REGION', { default: 'us-east-1' }),
  /** The same cap as the presigned upload's; a larger object is rejected without being read. */
  maxUploadBytes: int('MAX_UPLOAD_BYTES', { default: 10 * 1024 * 1024, min: 1 }),
  /** Decompression bombs: a small file that decodes to more pixels than this is rejected. */
  maxInputPixels: int('MAX_INPUT_PIXELS', { default: 40_000_000, min: 1 }),
  thumbnailPx: int('THUMBNAIL_PX', { default: 200, min: 16, max: 1000 }),
  mediumPx: int('MEDIUM_PX', { default: 800, min: 100, max: 4000 }),
};

export type FunctionConfig = ConfigOf<typeof shape>;

export const readConfig = (env: Record<string, string | undefined> = process.env): FunctionConfig =>
  loadConfig('product-images', shape, env);

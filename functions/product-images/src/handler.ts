import { readConfig } from './config.ts';
import { createS3ObjectStore } from './object-store.ts';
import { processUpload, type Outcome, type ProcessDeps } from './process-upload.ts';
import { createProductsClient } from './products-client.ts';
import { uploadOf, type S3Event } from './s3-event.ts';

/** Handles one S3 event: each upload record in turn. A throw fails the invocation, which Lambda retries. */
export function createHandler(deps: ProcessDeps) {
  return async (event: S3Event): Promise<{ results: Outcome[] }> => {
    const results: Outcome[] = [];
    for (const record of event.Records ?? []) {
      const upload = uploadOf(record);
      if (!upload) {
        deps.log?.({ level: 'info', msg: 'not an upload; ignored', key: record.s3?.object?.key });
        continue;
      }
      results.push(await processUpload(upload, deps));
    }
    return { results };
  };
}

let handle: ReturnType<typeof createHandler> | undefined;

/** The Lambda entry point (`index.handler` in the zip). Configuration is read once per execution environment. */
export const handler = async (event: S3Event): Promise<{ results: Outcome[] }> => {
  if (!handle) {
    const config = readConfig();
    handle = createHandler({
      store: createS3ObjectStore({ region: config.awsRegion, endpoint: config.s3Endpoint }),
      products: createProductsClient({
        baseUrl: config.productsUrl,
        privateKeyPem: config.servicePrivateKey,
        timeoutMs: config.productsTimeoutMs,
      }),
      sizes: { thumbnailPx: config.thumbnailPx, mediumPx: config.mediumPx, maxInputPixels: config.maxInputPixels },
      maxUploadBytes: config.maxUploadBytes,
      // One JSON line per event: CloudWatch Logs in AWS, the function's log file locally.
      log: (line) => console.log(JSON.stringify(line)),
    });
  }
  return handle(event);
};

// The local S3 API (s3rver) with its bucket notification bridged to the function, as a child process.
// Settings come from the launcher (platform/s3.ts) in the environment.
import path from 'node:path';
import S3rver from 's3rver';
import { createInvoker, matchesFilter } from './s3-bridge.ts';

const env = (name: string, fallback?: string): string => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};

const dir = env('S3_DIR');
const bucket = env('S3_BUCKET');
const origins = env('S3_CORS_ORIGINS', '')
  .split(',')
  .map((o) => o.trim())
  .filter(Boolean);
// Browsers upload straight to the bucket: the shop's origins may PUT there and read back.
const cors = `<CORSConfiguration>
  <CORSRule>
    ${origins.map((o) => `<AllowedOrigin>${o}</AllowedOrigin>`).join('\n    ')}
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>content-type</AllowedHeader>
    <MaxAgeSeconds>600</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

const server = new S3rver({
  address: '127.0.0.1',
  port: Number(env('S3_PORT')),
  directory: path.join(dir, 'buckets'),
  silent: true,
  configureBuckets: [{ name: bucket, configs: origins.length ? [cors] : [] }],
});

const invokeUrl = process.env['LAMBDA_INVOKE_URL'];
const filter = { events: 'ObjectCreated', prefix: env('S3_NOTIFY_PREFIX', 'uploads/') } as const;
const invoker = invokeUrl
  ? createInvoker({
      invokeUrl,
      deadLetterDir: path.join(dir, 'dead-letters'),
      eventLog: path.join(dir, 'events.jsonl'),
      retryDelaysMs: env('S3_RETRY_DELAYS_MS', '1000,2000').split(',').map(Number),
      log: (line) => console.log(line),
    })
  : undefined;

server.on(
  'event',
  (event: { Records: Array<{ eventName: string; s3: { bucket: { name: string }; object: { key: string } } }> }) => {
    // One notification configuration: this bucket, created objects under the prefix, to the function.
    const records = event.Records.filter((r) => r.s3.bucket.name === bucket && matchesFilter(r, filter));
    if (records.length && invoker) void invoker.deliver({ Records: records });
  },
);

const { port } = await server.run();
console.log(`ready http://127.0.0.1:${port}`);

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
// Exit with the launcher, like the services do.
process.on('disconnect', () => void stop());

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { GetObjectTaggingCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { newServiceKeys } from '@emporium/kit/testing';
import sharp from 'sharp';
import { freePortPair, startProductImagesFunction, type FunctionHandle } from '../../platform/lambda.ts';
import { S3_LOCAL_CREDENTIALS, startS3, type S3Handle } from '../../platform/s3.ts';
import { hasGo } from '../../platform/go-tools.ts';
import { buildApp as buildProducts } from '../../services/products/src/app.ts';
import { readConfig as readProductsConfig } from '../../services/products/src/config.ts';
import { createDocumentClient, ensureTables, tableNames } from '../../services/products/src/store/dynamo.ts';
import { buildApp as buildGateway } from '../../services/gateway/src/app.ts';
import { readConfig as readGatewayConfig } from '../../services/gateway/src/config.ts';
import { addressOf, startStack, type Stack } from '../gateway/helpers.ts';

// The whole path with real parts: gateway, users, products (dynalite), s3rver and its notification, the
// function's built artifact under the Lambda runtime interface emulator with aws-lambda-ric.
const skip = (await hasGo()) ? false : 'go is not installed: no Lambda emulator';
const BUCKET = 'images-e2e';

let dir: string;
let stack: Stack;
let s3: S3Handle;
let fn: FunctionHandle;
let products: Awaited<ReturnType<typeof buildProducts>>;
let gateway: Awaited<ReturnType<typeof buildGateway>>;
let base: string;
let admin: Record<string, string>;
let bucket: S3Client;

before(
  async () => {
    if (skip) return;
    dir = await mkdtemp(path.join(tmpdir(), 'emporium-images-'));
    stack = await startStack();
    const lambdaPort = await freePortPair(27100);
    s3 = await startS3({
      dataDir: path.join(dir, 's3'),
      port: 0,
      bucket: BUCKET,
      invokeUrl: `http://127.0.0.1:${lambdaPort}/2015-03-31/functions/function/invocations`,
      retryDelaysMs: [200, 400],
    });
    const keys = await newServiceKeys(['product-images']);
    // Products puts the gateway's address on its pictures, so the gateway's port is chosen first.
    const gatewayPort = await freePort();
    const prefix = `i${randomBytes(4).toString('hex')}-`;
    const endpoint = process.env['EMPORIUM_TEST_DYNAMODB_ENDPOINT']!;
    const config = readProductsConfig({
      DYNAMODB_ENDPOINT: endpoint,
      DYNAMODB_TABLE_PREFIX: prefix,
      JWKS_URL: `${addressOf(stack.users.app)}/.well-known/jwks.json`,
      SERVICE_TRUSTED_KEYS: keys.trustedKeys,
      IMAGES_BUCKET: BUCKET,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: S3_LOCAL_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3_LOCAL_CREDENTIALS.secretAccessKey,
      ASSETS_BASE_URL: `http://127.0.0.1:${gatewayPort}/assets`,
      LOG_LEVEL: 'warn',
    });
    const db = createDocumentClient({ endpoint, region: config.awsRegion });
    await ensureTables(db, tableNames(prefix));
    products = await buildProducts(config, { db });
    await products.listen({ port: 0, host: '127.0.0.1' });
    gateway = await buildGateway(
      readGatewayConfig({
        USERS_URL: addressOf(stack.users.app),
        PRODUCTS_URL: addressOf(products),
        ASSETS_ORIGIN_URL: `${s3.endpoint}/${BUCKET}`,
        RATE_LIMIT_PER_MINUTE: '0',
        LOG_LEVEL: 'warn',
      }),
    );
    await gateway.listen({ port: gatewayPort, host: '127.0.0.1' });
    base = addressOf(gateway);
    fn = await startProductImagesFunction({
      workDir: path.join(dir, 'lambda'),
      port: lambdaPort,
      runtimeApiPort: lambdaPort + 1,
      env: {
        PRODUCTS_URL: addressOf(products),
        SERVICE_PRIVATE_KEY: keys.privateKeys['product-images']!,
        S3_ENDPOINT: s3.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: S3_LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3_LOCAL_CREDENTIALS.secretAccessKey,
      },
      logFile: path.join(dir, 'product-images.log'),
    });
    bucket = new S3Client({
      endpoint: s3.endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: S3_LOCAL_CREDENTIALS,
    });
    await stack.users.app.userService.bootstrapAdmin('pictures@example.com', 'pictures-password-1');
    const login = await stack.call('POST', '/api/users/login', {
      email: 'pictures@example.com',
      password: 'pictures-password-1',
    });
    admin = { authorization: `Bearer ${login.json.access_token}` };
  },
  // Its own shop (and broker) on a loaded machine can take longer than a test's 120 s to start.
  { timeout: 600_000 },
);

after(async () => {
  if (skip) return;
  bucket.destroy();
  await fn?.stop();
  await gateway?.close();
  await products?.close();
  await s3?.stop();
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

const call = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(base + url, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json().catch(() => undefined)) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

async function newProduct() {
  const sku = `IMG-${randomBytes(3).toString('hex').toUpperCase()}`;
  const res = await call('POST', '/api/products', { name: 'Lamp', price: 30, category: 'Home', sku }, admin);
  assert.equal(res.status, 201);
  return res.json as { id: number; updated_at: string };
}

/** Asks the gateway for an upload and PUTs the bytes straight to the bucket, as a browser would. */
async function uploadPicture(productId: number, body: Buffer, declared = body.length) {
  const ticket = await call(
    'POST',
    `/api/products/${productId}/image-upload`,
    { content_type: 'image/jpeg', content_length: declared },
    admin,
  );
  assert.equal(ticket.status, 201, JSON.stringify(ticket.json));
  const put = await fetch(ticket.json.upload_url, { method: 'PUT', headers: ticket.json.headers, body });
  await put.arrayBuffer();
  return { uploadId: ticket.json.upload_id as string, putStatus: put.status };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const uploadRecord = async (productId: number, uploadId: string) =>
  (await call('GET', `/api/products/${productId}/image-uploads`, undefined, admin)).json.items.find(
    (u: { upload_id: string }) => u.upload_id === uploadId,
  ) as { status: string; reason?: string } | undefined;

const settled = (productId: number, uploadId: string) =>
  waitFor(`upload ${uploadId} to be handled`, async () => {
    const u = await uploadRecord(productId, uploadId);
    return u && u.status !== 'pending' ? u : undefined;
  });

const listed = async (prefix: string) =>
  ((await bucket.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }))).Contents ?? []).map((o) => o.Key);

let processed: { productId: number; uploadId: string; updatedAt: string };

test('an admin uploads a JPEG; the product soon shows WebP pictures of the right sizes', { skip }, async () => {
  const product = await newProduct();
  const jpeg = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#3a7' } })
    .withExif({ IFD0: { Copyright: 'the photographer' } })
    .jpeg()
    .toBuffer();
  const { uploadId, putStatus } = await uploadPicture(product.id, jpeg);
  assert.equal(putStatus, 200);
  const shown = await waitFor('the product to show its picture', async () => {
    const p = (await call('GET', `/api/products/${product.id}`)).json;
    return p.image_url ? p : undefined;
  });
  for (const [url, width, height] of [
    [shown.image_url, 800, 600],
    [shown.thumbnail_url, 200, 200],
  ] as const) {
    assert.ok(url.startsWith(`${base}/assets/products/${product.id}/${uploadId}/`), url);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/webp');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height, meta.exif], ['webp', width, height, undefined]);
  }
  assert.equal((await uploadRecord(product.id, uploadId))?.status, 'processed');
  const original = await fetch(`${base}/assets/uploads/${product.id}/${uploadId}`);
  assert.equal(original.status, 404, 'the original, with its metadata, is never served');
  processed = { productId: product.id, uploadId, updatedAt: shown.updated_at };
});

test('the same S3 event delivered again makes no second set of images and no second update', { skip }, async () => {
  const { productId, uploadId, updatedAt } = processed;
  const key = `uploads/${productId}/${uploadId}`;
  const events = (await readFile(s3.eventLog, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const event = events.find((e) => e.Records[0].s3.object.key === key);
  assert.ok(event, 'the bridge handed the function the event s3rver emitted');
  // Redelivered exactly as S3 → Lambda would, straight to the emulator's invoke endpoint.
  const res = await fetch(fn.invokeUrl, { method: 'POST', body: JSON.stringify(event) });
  assert.deepEqual(await res.json(), { results: [{ key, outcome: 'unchanged' }] });
  assert.equal((await listed(`products/${productId}/`)).length, 2, 'one thumbnail, one medium');
  assert.equal((await call('GET', `/api/products/${productId}`)).json.updated_at, updatedAt);
});

test('a text file named .jpg is rejected and the product is unchanged', { skip }, async () => {
  const product = await newProduct();
  const before = (await call('GET', `/api/products/${product.id}`)).json;
  const { uploadId, putStatus } = await uploadPicture(product.id, Buffer.from('not a photo at all, just text\n'));
  assert.equal(putStatus, 200);
  const upload = await settled(product.id, uploadId);
  assert.deepEqual([upload.status, upload.reason], ['rejected', 'not_an_image']);
  assert.deepEqual((await call('GET', `/api/products/${product.id}`)).json, before);
  assert.deepEqual(await listed(`products/${product.id}/`), []);
  const tags = await bucket.send(
    new GetObjectTaggingCommand({ Bucket: BUCKET, Key: `uploads/${product.id}/${uploadId}` }),
  );
  assert.deepEqual(Object.fromEntries((tags.TagSet ?? []).map((t) => [t.Key, t.Value])), {
    'emporium-image': 'rejected',
    'emporium-reason': 'not_an_image',
  });
});

test('a customer gets no upload URL; an unknown product is a 404', { skip }, async () => {
  const product = await newProduct();
  const customer = (await stack.signUp('picture_peeker')).auth;
  const body = { content_type: 'image/png', content_length: 100 };
  const refused = await call('POST', `/api/products/${product.id}/image-upload`, body, customer);
  assert.deepEqual([refused.status, refused.json.code], [403, 'admin_only']);
  const missing = await call('POST', '/api/products/987654321/image-upload', body, admin);
  assert.deepEqual([missing.status, missing.json.code], [404, 'product_not_found']);
});

test(
  'more than 10 MB: refused when asked for, and rejected by the function when s3rver lets it in',
  { skip },
  async () => {
    const product = await newProduct();
    const asked = await call(
      'POST',
      `/api/products/${product.id}/image-upload`,
      { content_type: 'image/jpeg', content_length: 10 * 1024 * 1024 + 1 },
      admin,
    );
    assert.deepEqual([asked.status, asked.json.code], [400, 'image_too_large']);

    const before = (await call('GET', `/api/products/${product.id}`)).json;
    const small = await sharp({ create: { width: 32, height: 32, channels: 3, background: 'red' } })
      .jpeg()
      .toBuffer();
    // Signed for 1 KB, sent 10 MB + 1. S3 refuses this (403: the signed Content-Length differs); s3rver
    // checks no V4 signature and stores it, so the function is what stops it here.
    const oversized = Buffer.concat([small, Buffer.alloc(10 * 1024 * 1024 + 1 - small.length)]);
    const { uploadId, putStatus } = await uploadPicture(product.id, oversized, 1024);
    if (putStatus === 200) {
      const upload = await settled(product.id, uploadId);
      assert.deepEqual([upload.status, upload.reason], ['rejected', 'too_large']);
    } else {
      assert.equal(putStatus, 403, 'refused by the storage itself');
    }
    assert.deepEqual((await call('GET', `/api/products/${product.id}`)).json, before);
    assert.deepEqual(await listed(`products/${product.id}/`), []);
  },
);

test(
  'with products down the event is retried, then lands in the dead-letter folder as Lambda records it',
  { skip },
  async () => {
    const product = await newProduct();
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: 'blue' } })
      .jpeg()
      .toBuffer();
    const ticket = await call(
      'POST',
      `/api/products/${product.id}/image-upload`,
      { content_type: 'image/jpeg', content_length: jpeg.length },
      admin,
    );
    await products.close();
    const put = await fetch(ticket.json.upload_url, { method: 'PUT', headers: ticket.json.headers, body: jpeg });
    assert.equal(put.status, 200);
    const key = `uploads/${product.id}/${ticket.json.upload_id}`;
    const letter = await waitFor('a dead letter', async () => {
      for (const file of await readdir(s3.deadLetterDir).catch(() => [])) {
        const record = JSON.parse(await readFile(path.join(s3.deadLetterDir, file), 'utf8'));
        if (record.requestPayload.Records[0].s3.object.key === key) return record;
      }
      return undefined;
    });
    assert.equal(letter.requestContext.condition, 'RetriesExhausted');
    assert.equal(letter.requestContext.approximateInvokeCount, 3);
    assert.match(letter.responsePayload.errorMessage, /products unreachable/);
  },
);

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serviceCredentialCases } from '@emporium/kit/testing';
import { startProducts, type Products } from './helpers.ts';

const ASSETS = 'https://assets.example.com';
let p: Products;
before(async () => {
  p = await startProducts({
    env: {
      ASSETS_BASE_URL: ASSETS,
      IMAGES_BUCKET: 'shop-images',
      // Presigning is local: nothing listens there, and nothing needs to.
      S3_ENDPOINT: 'http://127.0.0.1:1',
      S3_ACCESS_KEY_ID: 'test',
      S3_SECRET_ACCESS_KEY: 'test',
    },
  });
});
after(() => p.close());

const ask = (id: number, headers: Record<string, string>, payload: object) =>
  p.app.inject({ method: 'POST', url: `/api/products/${id}/image-upload`, headers, payload });
const uploadsOf = async (id: number) =>
  (await p.app.inject({ url: `/api/products/${id}/image-uploads`, headers: p.admin })).json().items as Array<{
    upload_id: string;
    status: string;
    reason?: string;
    image_url?: string;
  }>;
const keys = (productId: number, uploadId: string, v = 'v1') => ({
  image_key: `products/${productId}/${uploadId}/${v}/medium.webp`,
  thumbnail_key: `products/${productId}/${uploadId}/${v}/thumb.webp`,
});

test('an admin gets a short-lived presigned PUT whose signature covers the type and the length', async () => {
  const product = await p.create();
  const res = await ask(product.id, p.admin, { content_type: 'image/jpeg', content_length: 12345 });
  assert.equal(res.statusCode, 201, res.body);
  const ticket = res.json();
  assert.equal(ticket.method, 'PUT');
  assert.deepEqual(ticket.headers, { 'content-type': 'image/jpeg' });
  const url = new URL(ticket.upload_url);
  assert.equal(url.pathname, `/shop-images/uploads/${product.id}/${ticket.upload_id}`);
  assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'content-length;content-type;host');
  assert.equal(url.searchParams.get('X-Amz-Expires'), '300');
  assert.equal(url.searchParams.get('x-amz-checksum-crc32'), null, 'no checksum of an empty body is signed in');
  const expiresIn = Date.parse(ticket.expires_at) - Date.now();
  assert.ok(expiresIn > 0 && expiresIn <= 300_000, ticket.expires_at);
  const [upload] = await uploadsOf(product.id);
  assert.equal(upload?.upload_id, ticket.upload_id);
  assert.equal(upload?.status, 'pending');
});

test('no upload for a customer, an unknown product, a non-image type or more than the cap', async () => {
  const product = await p.create();
  const cases: Array<[string, number, Record<string, string>, object, number, string]> = [
    ['customer', product.id, p.customer, { content_type: 'image/png', content_length: 10 }, 403, 'admin_only'],
    ['no token', product.id, {}, { content_type: 'image/png', content_length: 10 }, 401, 'missing_token'],
    ['unknown id', 999_999, p.admin, { content_type: 'image/png', content_length: 10 }, 404, 'product_not_found'],
    ['text', product.id, p.admin, { content_type: 'text/plain', content_length: 10 }, 400, 'validation_failed'],
    ['svg', product.id, p.admin, { content_type: 'image/svg+xml', content_length: 10 }, 400, 'validation_failed'],
    ['empty', product.id, p.admin, { content_type: 'image/png', content_length: 0 }, 400, 'validation_failed'],
    [
      '10 MB + 1',
      product.id,
      p.admin,
      { content_type: 'image/png', content_length: 10 * 1024 * 1024 + 1 },
      400,
      'image_too_large',
    ],
  ];
  for (const [what, id, headers, body, status, code] of cases) {
    const res = await ask(id, headers, body);
    assert.deepEqual([res.statusCode, res.json().code], [status, code], `${what}: ${res.body}`);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  }
  assert.deepEqual(await uploadsOf(product.id), [], 'nothing was recorded');
});

test('the function sets both pictures once per object version and drops the cached product', async () => {
  const product = await p.create();
  const { upload_id } = (await ask(product.id, p.admin, { content_type: 'image/png', content_length: 99 })).json();
  const cached = (await p.app.inject(`/api/products/${product.id}`)).json();
  assert.equal(cached.thumbnail_url, null);
  const body = {
    upload_id,
    object_version: 'etag-1',
    uploaded_at: new Date().toISOString(),
    ...keys(product.id, upload_id),
  };
  const call = async (payload: object) =>
    p.app.inject({
      method: 'POST',
      url: `/internal/products/${product.id}/images`,
      headers: await p.asImages(),
      payload,
    });
  const first = await call(body);
  assert.equal(first.statusCode, 200, first.body);
  assert.equal(first.json().outcome, 'updated');
  const shown = (await p.app.inject(`/api/products/${product.id}`)).json();
  assert.equal(shown.image_url, `${ASSETS}/products/${product.id}/${upload_id}/v1/medium.webp`);
  assert.equal(shown.thumbnail_url, `${ASSETS}/products/${product.id}/${upload_id}/v1/thumb.webp`);

  const again = await call(body);
  assert.equal(again.json().outcome, 'unchanged', 'the same event twice is one update');
  assert.equal(again.json().product.updated_at, shown.updated_at);
  const older = await call({
    ...body,
    object_version: 'etag-0',
    uploaded_at: '2020-01-01T00:00:00Z',
    ...keys(product.id, upload_id, 'v0'),
  });
  assert.equal(older.json().outcome, 'unchanged', 'an older upload finishing late does not win');
  assert.equal((await p.app.inject(`/api/products/${product.id}`)).json().image_url, shown.image_url);
  const [upload] = await uploadsOf(product.id);
  assert.equal(upload?.status, 'processed');

  const foreign = await call({
    ...body,
    object_version: 'etag-2',
    image_key: `products/1/${upload_id}/v2/medium.webp`,
  });
  assert.equal(foreign.statusCode, 400, 'keys of another product are refused');
  const unknown = await call({ ...body, upload_id: '0'.repeat(24) });
  assert.deepEqual([unknown.statusCode, unknown.json().code], [404, 'upload_not_found']);
});

test('a rejected file is recorded for the admin and leaves the product as it was', async () => {
  const product = await p.create();
  const before = (await p.app.inject(`/api/products/${product.id}`)).json();
  const { upload_id } = (await ask(product.id, p.admin, { content_type: 'image/jpeg', content_length: 5 })).json();
  const res = await p.app.inject({
    method: 'POST',
    url: `/internal/products/${product.id}/image-rejections`,
    headers: await p.asImages(),
    payload: { upload_id, object_version: 'etag-x', reason: 'not_an_image', detail: 'no known image signature' },
  });
  assert.equal(res.statusCode, 200, res.body);
  const [upload] = await uploadsOf(product.id);
  assert.deepEqual([upload?.status, upload?.reason], ['rejected', 'not_an_image']);
  assert.deepEqual((await p.app.inject(`/api/products/${product.id}`)).json(), before);
});

test('the image routes answer only the product-images function', async () => {
  const product = await p.create();
  const { upload_id } = (await ask(product.id, p.admin, { content_type: 'image/png', content_length: 9 })).json();
  const users = { customer: p.customer, admin: p.admin };
  const roles = { target: 'products', allowed: 'product-images', trustedButNotAllowed: 'orders', users };
  const payload = {
    upload_id,
    object_version: 'e',
    uploaded_at: new Date().toISOString(),
    ...keys(product.id, upload_id),
  };
  for (const c of await serviceCredentialCases(p.services, roles)) {
    const res = await p.app.inject({
      method: 'POST',
      url: `/internal/products/${product.id}/images`,
      headers: c.headers,
      payload,
    });
    assert.deepEqual([res.statusCode, res.json().code], [c.status, c.code], c.what);
  }
  assert.equal((await p.app.inject(`/api/products/${product.id}`)).json().image_url, null);
});

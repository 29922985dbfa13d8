import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { createHandler } from './handler.ts';
import type { ObjectStore } from './object-store.ts';
import type { ProcessedImage, ProductsClient } from './products-client.ts';
import { TransientError } from './products-client.ts';
import type { S3Event } from './s3-event.ts';

const BUCKET = 'images';
const UPLOAD_ID = '0000018f00000000a1b2c3d4';
const MAX = 10 * 1024 * 1024;

/** An in-memory bucket that counts what was written. */
function memoryStore() {
  const objects = new Map<string, { body: Buffer; contentType: string }>();
  const tags = new Map<string, Record<string, string>>();
  const calls = { writes: 0, reads: 0 };
  const store: ObjectStore = {
    exists: async (_b, key) => objects.has(key),
    read: async (_b, key, maxBytes) => {
      calls.reads++;
      const o = objects.get(key)!;
      return o.body.length > maxBytes ? undefined : o.body;
    },
    write: async (_b, key, body, contentType) => {
      calls.writes++;
      objects.set(key, { body, contentType });
    },
    tag: async (_b, key, t) => void tags.set(key, t),
  };
  return { store, objects, tags, calls };
}

/** Products as the internal routes answer: the first report of a version updates, a repeat is unchanged. */
function fakeProducts() {
  const processed: Array<{ productId: number; image: ProcessedImage }> = [];
  const rejected: Array<{ productId: number; reason: string }> = [];
  const seen = new Set<string>();
  let failNext = 0;
  let answer: 'product_not_found' | 'upload_not_found' | undefined;
  const client: ProductsClient = {
    async imageProcessed(productId, image) {
      if (answer) return answer;
      if (failNext > 0) {
        failNext--;
        throw new TransientError('products answered 503');
      }
      processed.push({ productId, image });
      const version = `${image.upload_id}|${image.object_version}`;
      if (seen.has(version)) return 'unchanged';
      seen.add(version);
      return 'updated';
    },
    async imageRejected(productId, r) {
      rejected.push({ productId, reason: r.reason });
      return 'recorded';
    },
  };
  const answerWith = (a: typeof answer) => (answer = a);
  return { client, processed, rejected, failOnce: () => (failNext = 1), answerWith };
}

function setup() {
  const bucket = memoryStore();
  const products = fakeProducts();
  const handler = createHandler({
    store: bucket.store,
    products: products.client,
    sizes: { thumbnailPx: 200, mediumPx: 800, maxInputPixels: 40_000_000 },
    maxUploadBytes: MAX,
  });
  /** Puts an object into the bucket and returns the event S3 sends for it. */
  const upload = (body: Buffer, opts: { productId?: number; size?: number; etag?: string } = {}): S3Event => {
    const key = `uploads/${opts.productId ?? 7}/${UPLOAD_ID}`;
    bucket.objects.set(key, { body, contentType: 'image/jpeg' });
    return eventFor(key, opts.size ?? body.length, opts.etag ?? `etag-${body.length}`);
  };
  return { ...bucket, ...products, handler, upload };
}

const eventFor = (key: string, size: number, eTag: string): S3Event => ({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      eventTime: '2026-01-02T03:04:05.000Z',
      s3: { bucket: { name: BUCKET }, object: { key: encodeURIComponent(key), size, eTag, sequencer: '0A1B' } },
    },
  ],
});

const photo = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 60 } } });

test('a JPEG becomes a 200×200 thumbnail and an 800-wide medium WebP without its metadata', async () => {
  const t = setup();
  const jpeg = await photo(1200, 900)
    .withExif({ IFD0: { Copyright: 'secret owner', Artist: 'someone' } })
    .jpeg()
    .toBuffer();
  assert.ok((await sharp(jpeg).metadata()).exif, 'the fixture carries EXIF');
  const res = await t.handler(t.upload(jpeg));
  assert.deepEqual(res.results, [{ key: `uploads/7/${UPLOAD_ID}`, outcome: 'updated' }]);
  const [call] = t.processed;
  assert.equal(call?.productId, 7);
  const medium = t.objects.get(call!.image.image_key)!;
  const thumb = t.objects.get(call!.image.thumbnail_key)!;
  assert.match(call!.image.image_key, new RegExp(`^products/7/${UPLOAD_ID}/[0-9a-f]{16}/medium\\.webp$`));
  assert.equal(medium.contentType, 'image/webp');
  const [m, th] = [await sharp(medium.body).metadata(), await sharp(thumb.body).metadata()];
  assert.deepEqual([m.format, m.width, m.height], ['webp', 800, 600]);
  assert.deepEqual([th.format, th.width, th.height], ['webp', 200, 200]);
  assert.equal(m.exif, undefined, 'EXIF stripped');
  assert.equal(th.exif, undefined);
  assert.deepEqual(t.tags.get(`uploads/7/${UPLOAD_ID}`), { 'emporium-image': 'processed' });
});

test('a PNG is never enlarged, and an EXIF orientation is applied before it is dropped', async () => {
  const t = setup();
  const png = await photo(300, 100).png().toBuffer();
  await t.handler(t.upload(png));
  const m = await sharp(t.objects.get(t.processed[0]!.image.image_key)!.body).metadata();
  assert.deepEqual([m.width, m.height], [300, 100]);

  const u = setup();
  // Stored 400×200 but marked "rotate 90°": a camera held upright. Shown as 200×400.
  const rotated = await photo(400, 200).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  await u.handler(u.upload(rotated));
  const r = await sharp(u.objects.get(u.processed[0]!.image.image_key)!.body).metadata();
  assert.deepEqual([r.width, r.height, r.orientation], [200, 400, undefined]);
});

test('a text file named like a JPEG is rejected for good: nothing written, products told, object tagged', async () => {
  const t = setup();
  const res = await t.handler(t.upload(Buffer.from('hello, I am plain text pretending to be photo.jpg\n')));
  assert.deepEqual(res.results, [{ key: `uploads/7/${UPLOAD_ID}`, outcome: 'rejected', reason: 'not_an_image' }]);
  assert.equal(t.calls.writes, 0);
  assert.deepEqual(t.processed, []);
  assert.deepEqual(t.rejected, [{ productId: 7, reason: 'not_an_image' }]);
  assert.deepEqual(t.tags.get(`uploads/7/${UPLOAD_ID}`), {
    'emporium-image': 'rejected',
    'emporium-reason': 'not_an_image',
  });

  const truncated = (await photo(640, 480).jpeg().toBuffer()).subarray(0, 300);
  const u = setup();
  assert.equal(
    (await u.handler(u.upload(truncated))).results[0]?.outcome,
    'rejected',
    'a JPEG header alone is not enough',
  );
  assert.equal(u.calls.writes, 0);
});

test('oversized uploads are rejected: too many bytes (unread), too many pixels', async () => {
  const t = setup();
  const small = await photo(10, 10).png().toBuffer();
  const res = await t.handler(t.upload(small, { size: MAX + 1 }));
  assert.deepEqual(res.results[0], { key: `uploads/7/${UPLOAD_ID}`, outcome: 'rejected', reason: 'too_large' });
  assert.equal(t.calls.reads, 0, 'the size in the event is enough to refuse it');

  const u = setup();
  const big = Buffer.concat([small, Buffer.alloc(MAX)]);
  const bigEvent = u.upload(big);
  delete bigEvent.Records![0]!.s3.object.size;
  assert.equal(
    (await u.handler(bigEvent)).results[0]?.outcome,
    'rejected',
    'the stored length counts when the event has none',
  );

  const v = setup();
  // A few kilobytes that decode to 48 megapixels: a decompression bomb.
  const bomb = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: 'white' } })
    .png({ compressionLevel: 9 })
    .toBuffer();
  assert.ok(bomb.length < 1024 * 1024);
  assert.deepEqual((await v.handler(v.upload(bomb))).results[0], {
    key: `uploads/7/${UPLOAD_ID}`,
    outcome: 'rejected',
    reason: 'too_many_pixels',
  });
  assert.equal(v.calls.writes, 0);
});

test('the same event twice makes one set of images and one update', async () => {
  const t = setup();
  const event = t.upload(await photo(500, 500).jpeg().toBuffer());
  assert.equal((await t.handler(event)).results[0]?.outcome, 'updated');
  assert.equal((await t.handler(event)).results[0]?.outcome, 'unchanged');
  assert.equal(t.calls.writes, 2, 'thumbnail and medium, once');
  assert.equal(t.calls.reads, 1, 'the original was read once');
  assert.deepEqual(new Set(t.processed.map((p) => p.image.image_key)).size, 1);
});

test('a products outage fails the invocation (Lambda retries it); the retry does not remake the sizes', async () => {
  const t = setup();
  const event = t.upload(await photo(300, 300).jpeg().toBuffer());
  t.failOnce();
  await assert.rejects(t.handler(event), TransientError);
  assert.equal(t.calls.writes, 2);
  assert.equal((await t.handler(event)).results[0]?.outcome, 'updated');
  assert.equal(t.calls.writes, 2);
});

test('objects outside uploads/ (its own WebP files, say) and other events are ignored', async () => {
  const t = setup();
  const event = eventFor(`products/7/${UPLOAD_ID}/abc/medium.webp`, 10, 'e');
  assert.deepEqual(await t.handler(event), { results: [] });
  const removed = eventFor(`uploads/7/${UPLOAD_ID}`, 10, 'e');
  removed.Records![0]!.eventName = 'ObjectRemoved:Delete';
  assert.deepEqual(await t.handler(removed), { results: [] });
  assert.deepEqual([t.calls.reads, t.processed.length, t.rejected.length], [0, 0, 0]);
});

test('a product deleted meanwhile, or an object products never handed out, is rejected, not retried', async () => {
  const t = setup();
  t.answerWith('product_not_found');
  const res = await t.handler(t.upload(await photo(50, 50).png().toBuffer()));
  assert.deepEqual(res.results[0], { key: `uploads/7/${UPLOAD_ID}`, outcome: 'rejected', reason: 'product_not_found' });
  assert.deepEqual(t.rejected, [{ productId: 7, reason: 'product_not_found' }]);

  const u = setup();
  u.answerWith('upload_not_found');
  const res2 = await u.handler(u.upload(await photo(50, 50).png().toBuffer()));
  assert.equal(res2.results[0]?.outcome, 'rejected');
  assert.deepEqual(u.rejected, [], 'there is no upload record to mark');
  assert.deepEqual(u.tags.get(`uploads/7/${UPLOAD_ID}`), {
    'emporium-image': 'rejected',
    'emporium-reason': 'unknown_upload',
  });
});

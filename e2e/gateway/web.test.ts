import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import path from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { rawRequest, startStack, type Stack } from './helpers.ts';

// The gateway serving a web build (a small stand-in for web/dist) next to the API.
let dir: string;
let s: Stack;
const bundle = `console.log(${JSON.stringify('x'.repeat(5000))});`;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'emporium-web-'));
  await mkdir(path.join(dir, 'assets'));
  await mkdir(path.join(dir, 'admin'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Storefront</title>');
  await writeFile(path.join(dir, 'admin/index.html'), '<!doctype html><title>Admin</title>');
  await writeFile(path.join(dir, 'assets/store-Ab12Cd.js'), bundle);
  await writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  s = await startStack({ WEB_DIR: dir });
});
after(async () => {
  await s.close();
  await rm(dir, { recursive: true, force: true });
});

describe('web UI from the gateway', () => {
  test('the storefront at / and for its own routes (history fallback), never cached stale', async () => {
    for (const p of ['/', '/products/12', '/orders/5?x=1', '/account/profile']) {
      const res = await s.call('GET', p);
      assert.equal(res.status, 200, p);
      assert.equal(res.text, '<!doctype html><title>Storefront</title>', p);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(res.headers.get('cache-control'), 'no-cache');
      assert.match(res.headers.get('content-security-policy')!, /script-src 'self';/);
    }
  });

  test('the admin console at /admin and below', async () => {
    for (const p of ['/admin', '/admin/', '/admin/orders/7']) {
      const res = await s.call('GET', p);
      assert.equal(res.text, '<!doctype html><title>Admin</title>', p);
    }
  });

  test('hashed assets are immutable, compressed as the browser accepts, and revalidate with 304', async () => {
    const plain = await rawRequest(s.base, 'GET', '/assets/store-Ab12Cd.js');
    assert.equal(plain.status, 200);
    assert.equal(plain.text, bundle);
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(plain.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(plain.headers['content-encoding'], undefined);

    // fetch would decode for us; node:http shows the bytes that went over the wire.
    const wire = (encoding: string) =>
      new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
        const req = request(`${s.base}/assets/store-Ab12Cd.js`, { headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ encoding: res.headers['content-encoding'] as string, body: Buffer.concat(chunks) }),
          );
        });
        req.on('error', reject);
        req.end();
      });
    const br = await wire('gzip, deflate, br');
    assert.equal(br.encoding, 'br');
    assert.ok(br.body.length < bundle.length / 10);
    assert.equal(brotliDecompressSync(br.body).toString(), bundle);
    const gz = await wire('gzip');
    assert.equal(gz.encoding, 'gzip');
    assert.equal(gunzipSync(gz.body).toString(), bundle);

    const etag = plain.headers['etag'] as string;
    const again = await rawRequest(s.base, 'GET', '/assets/store-Ab12Cd.js', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
  });

  test('missing files, reserved paths and unknown API routes stay 404 problems', async () => {
    const paths = ['/assets/gone-123.js', '/assets/uploads/1/abc', '/admin/assets/gone', '/robots.txt', '/api/nothing'];
    for (const p of [...paths, '/METRICS', '/metrics/', '/internal/x']) {
      const res = await s.call('GET', p);
      assert.equal(res.status, 404, p);
      assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8', p);
    }
    assert.equal((await rawRequest(s.base, 'GET', '/%E0%A4%A')).status, 400);
    assert.equal((await s.call('GET', '/favicon.svg')).headers.get('content-type'), 'image/svg+xml');
    assert.equal((await s.call('GET', '/api/users/me')).status, 401);
    assert.equal((await s.call('GET', '/health')).status, 200);
  });
});

test('without a build the gateway serves the API only', async () => {
  const bare = await startStack({ WEB_DIR: path.join(dir, 'no-such-build') });
  try {
    assert.equal((await bare.call('GET', '/')).status, 404);
    assert.equal((await bare.call('GET', '/health')).status, 200);
  } finally {
    await bare.close();
  }
});

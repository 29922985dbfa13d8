import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { ensureWebBuild, initialJsBytes, INITIAL_JS_BUDGET_BYTES, webDist, webSourceHash } from './web-build.ts';

// npm test has built web/dist before any suite starts; these check what that build holds.

test('the build is current: a second ensureWebBuild does nothing', async () => {
  assert.equal(await ensureWebBuild(() => undefined), 'fresh');
  assert.equal(await readFile(path.join(webDist, '.source-hash'), 'utf8'), await webSourceHash());
});

test('the storefront loads at most 200 kB of gzipped JavaScript before it runs', async () => {
  const { bytes, files } = await initialJsBytes();
  console.log(`storefront initial JavaScript: ${(bytes / 1024).toFixed(1)} kB gzipped in ${files.length} files`);
  assert.ok(files.length > 0 && files.every((f) => f.startsWith('/assets/')), files.join());
  assert.ok(bytes <= INITIAL_JS_BUDGET_BYTES, `${bytes} bytes`);
  for (const page of ['index.html', 'admin/index.html']) {
    const html = await readFile(path.join(webDist, page), 'utf8');
    for (const [, ref] of html.matchAll(/(?:src|href)="(\/[^"]+)"/g)) {
      assert.ok(existsSync(path.join(webDist, ref!)), `${page} names ${ref}, which the build lacks`);
    }
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, `${page} has an inline script, which the CSP refuses`);
  }
});

test('no server-side secret or setting is in the bundle', async () => {
  const files = (await readdir(webDist, { recursive: true })).filter((f) => /\.(js|html|css)$/.test(f));
  const text = (await Promise.all(files.map((f) => readFile(path.join(webDist, f), 'utf8')))).join('\n');
  for (const secret of [
    /PRIVATE KEY/,
    /emporium-admin/,
    /DATABASE_URL|JWT_PRIVATE_KEY|SERVICE_PRIVATE_KEY|ADMIN_PASSWORD/,
    /postgres(ql)?:\/\//,
    /127\.0\.0\.1:500[1-6]/,
  ]) {
    assert.doesNotMatch(text, secret);
  }
});

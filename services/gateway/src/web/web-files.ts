import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = /^(text\/|application\/(json|manifest)|image\/svg)/;

export interface WebFile {
  body: Buffer;
  type: string;
  etag: string;
  /** Vite names every file under assets/ by its content hash, so a cached copy never goes stale. */
  immutable: boolean;
  /** Compressed on first request and kept: the build is small and never changes while the gateway runs. */
  encoded(encoding: 'br' | 'gzip'): Promise<Buffer | undefined>;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function webFile(rel: string, body: Buffer): WebFile {
  const type = TYPES[path.extname(rel)] ?? 'application/octet-stream';
  const compressible = COMPRESSIBLE.test(type) && body.length > 1024;
  const cache = new Map<string, Promise<Buffer>>();
  return {
    body,
    type,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    immutable: rel.startsWith('/assets/'),
    encoded(encoding) {
      if (!compressible) return Promise.resolve(undefined);
      let done = cache.get(encoding);
      if (!done) {
        done =
          encoding === 'br'
            ? brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } })
            : gzipAsync(body, { level: 9 });
        cache.set(encoding, done);
      }
      return done;
    },
  };
}

/** Every file of the built web UI, by URL path; undefined when there is no build in `dir`. */
export async function loadWebFiles(dir: string): Promise<Map<string, WebFile> | undefined> {
  let names: string[];
  try {
    names = await filesUnder(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const files = new Map<string, WebFile>();
  for (const name of names) {
    const rel = '/' + path.relative(dir, name).split(path.sep).join('/');
    files.set(rel, webFile(rel, await readFile(name)));
  }
  return files.has('/index.html') ? files : undefined;
}

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { repoRoot } from './config.ts';

export const webDir = path.join(repoRoot, 'web');
export const webDist = path.join(webDir, 'dist');
const HASH_FILE = '.source-hash';
/** The storefront's first load (the entry script and every module it preloads), gzipped. */
export const INITIAL_JS_BUDGET_BYTES = 200 * 1024;

/** Everything the build reads: web's sources and settings, and the lockfile for the dependencies' versions. */
export async function webSourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const entries = await readdir(webDir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => !f.startsWith(webDist + path.sep) && !f.includes(`${path.sep}node_modules${path.sep}`))
    .sort();
  for (const file of [...files, path.join(repoRoot, 'package-lock.json')]) {
    hash
      .update(path.relative(repoRoot, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex');
}

/** Gzipped bytes of the JavaScript a page loads before it can run: its module entry and modulepreloads. */
export async function initialJsBytes(html = 'index.html'): Promise<{ bytes: number; files: string[] }> {
  const page = await readFile(path.join(webDist, html), 'utf8');
  const refs = [
    ...page.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
    ...page.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ].map((m) => m[1]!);
  let bytes = 0;
  for (const ref of refs) bytes += gzipSync(await readFile(path.join(webDist, ref)), { level: 9 }).length;
  return { bytes, files: refs };
}

function runVite(): Promise<void> {
  const vite = path.join(repoRoot, 'node_modules/vite/bin/vite.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: webDir, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))));
  });
}

/**
 * Builds the storefront and admin console into web/dist when there is no build or its sources changed
 * (a hash of them is kept beside the build), and refuses a storefront over the JavaScript budget.
 */
export async function ensureWebBuild(say: (line: string) => void = console.log): Promise<'built' | 'fresh'> {
  const hash = await webSourceHash();
  const stamp = path.join(webDist, HASH_FILE);
  if (existsSync(stamp) && (await readFile(stamp, 'utf8')) === hash) return 'fresh';
  say('building the web UI (storefront and admin console)…');
  await runVite();
  const { bytes } = await initialJsBytes();
  say(`web UI built: storefront initial JavaScript ${(bytes / 1024).toFixed(1)} kB gzipped (budget 200 kB)`);
  if (bytes > INITIAL_JS_BUDGET_BYTES) throw new Error(`the storefront's initial JavaScript is over its 200 kB budget`);
  await writeFile(stamp, hash);
  return 'built';
}

// `npm run build:web`: build when stale and print the size either way.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await ensureWebBuild();
  const { bytes, files } = await initialJsBytes();
  console.log(`storefront initial JavaScript: ${(bytes / 1024).toFixed(1)} kB gzipped in ${files.length} files`);
}

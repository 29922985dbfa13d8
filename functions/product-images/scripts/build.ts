import { cp, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { build } from 'esbuild';
import yazl from 'yazl';

const root = path.resolve(import.meta.dirname, '..');
// sharp's JavaScript and its native code for Lambda's Linux x64 (glibc); nothing for other platforms.
const NATIVE = /^@img\/sharp-(libvips-)?linux-x64$/;

/** Where a package is installed, looked up the way Node does: node_modules folders from `from` upwards. */
async function packageDir(name: string, from: string): Promise<string> {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (await stat(path.join(candidate, 'package.json')).catch(() => undefined)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${name} is not installed`);
  }
}

/** sharp and what it needs at run time, copied into the task's node_modules. */
async function copyRuntimePackages(taskDir: string): Promise<string[]> {
  const copied = new Map<string, string>();
  const visit = async (name: string, from: string) => {
    if (copied.has(name)) return;
    let dir: string;
    try {
      dir = await packageDir(name, from);
    } catch {
      return; // an optional package for another platform
    }
    copied.set(name, dir);
    const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    const optional = Object.keys(pkg.optionalDependencies ?? {}).filter((n) => NATIVE.test(n));
    for (const dep of [...Object.keys(pkg.dependencies ?? {}), ...optional]) await visit(dep, dir);
  };
  await visit('sharp', root);
  for (const [name, dir] of copied) {
    await cp(dir, path.join(taskDir, 'node_modules', name), {
      recursive: true,
      filter: (src) => !/[/\\](src|install|docs?)[/\\]?$|\.(d\.[cm]?ts|md|cc|h|gyp)$/.test(src),
    });
  }
  return [...copied.keys()];
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.join(entry.parentPath, entry.name));
  }
  return out.sort();
}

async function zipDir(dir: string, zipFile: string): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const file of await filesUnder(dir)) {
    const mode = (await stat(file)).mode;
    // A fixed date keeps the zip byte-identical for identical contents (Terraform compares its hash).
    zip.addFile(file, path.relative(dir, file), { mtime: new Date('2020-01-01T00:00:00Z'), mode });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipFile));
}

export interface BuiltFunction {
  /** The unpacked artifact: what Lambda puts in /var/task, and what the local emulator runs. */
  taskDir: string;
  zipFile?: string;
  handler: string;
}

/** Bundles the handler with esbuild (sharp stays a package, with its Linux x64 binaries) and zips it. */
export async function buildProductImages(options: { outDir: string; zip: boolean }): Promise<BuiltFunction> {
  const taskDir = path.join(options.outDir, 'product-images');
  await rm(taskDir, { recursive: true, force: true });
  await mkdir(taskDir, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'src', 'handler.ts')],
    outfile: path.join(taskDir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['sharp'],
    // Bundled CommonJS (parts of the AWS SDK) may call require: give the ES module one.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  await copyRuntimePackages(taskDir);
  if (!options.zip) return { taskDir, handler: 'index.handler' };
  const zipFile = path.join(options.outDir, 'product-images.zip');
  await rm(zipFile, { force: true });
  await zipDir(taskDir, zipFile);
  return { taskDir, zipFile, handler: 'index.handler' };
}

if (import.meta.main) {
  const built = await buildProductImages({ outDir: path.join(root, 'dist'), zip: true });
  const size = (await stat(built.zipFile!)).size;
  console.log(
    `${path.relative(process.cwd(), built.zipFile!)}: ${(size / 1024 / 1024).toFixed(1)} MiB, handler ${built.handler}`,
  );
}

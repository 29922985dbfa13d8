import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

// HCL read as Terraform's JSON syntax (hcl2json, WASM): blocks become objects of lists, expressions "${…}".
export type Hcl = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const infraDir = path.resolve(import.meta.dirname, '..');
export const repoDir = path.resolve(infraDir, '..');

// Loaded by a name typed `string`: the package's typings pull in the DOM library, which would retype the
// whole project's fetch bodies.
const hcl2json: string = '@cdktf/hcl2json';
const { parse } = (await import(hcl2json)) as { parse: (file: string, text: string) => Promise<Hcl> };

const cache = new Map<string, Promise<Hcl>>();

/** Every .tf file of a folder, merged the way Terraform reads one module (parsed once per test file). */
export function readModule(dir: string): Promise<Hcl> {
  let mod = cache.get(dir);
  if (!mod) cache.set(dir, (mod = parseModule(dir)));
  return mod;
}

async function parseModule(dir: string): Promise<Hcl> {
  const full = path.resolve(infraDir, dir);
  const files = (await readdir(full)).filter((f) => f.endsWith('.tf')).sort();
  const merged: Hcl = {};
  for (const file of files) {
    const json = await parse(file, await readFile(path.join(full, file), 'utf8'));
    for (const [kind, blocks] of Object.entries(json)) {
      merged[kind] = mergeBlocks(merged[kind], blocks);
    }
  }
  return merged;
}

function mergeBlocks(into: unknown, more: unknown): unknown {
  if (into === undefined) return more;
  if (Array.isArray(into) && Array.isArray(more)) return [...into, ...more];
  const out: Hcl = { ...(into as Hcl) };
  for (const [k, v] of Object.entries(more as Hcl)) out[k] = mergeBlocks(out[k], v);
  return out;
}

/** The single block `resource "type" "name"` (hcl2json wraps each block in a list). */
export function resource(mod: Hcl, type: string, name: string): Hcl {
  const block = mod['resource']?.[type]?.[name]?.[0];
  if (!block) throw new Error(`resource ${type}.${name} not found`);
  return block;
}

export function resources(mod: Hcl, type: string): Hcl[] {
  return Object.values(mod['resource']?.[type] ?? {}).map((b) => (b as Hcl[])[0]!);
}

export function moduleCall(mod: Hcl, name: string): Hcl {
  const block = mod['module']?.[name]?.[0];
  if (!block) throw new Error(`module ${name} not found`);
  return block;
}

export function locals(mod: Hcl): Hcl {
  return Object.assign({}, ...((mod['locals'] ?? []) as Hcl[]));
}

/** An IPv4 CIDR as [first address, size], to check containment and overlap. */
export function cidrRange(cidr: string): [number, number] {
  const [ip, bits] = cidr.split('/') as [string, string];
  const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  if (n % size !== 0) throw new Error(`${cidr} is not aligned`);
  return [n, size];
}

export const within = (inner: string, outer: string): boolean => {
  const [a, as] = cidrRange(inner);
  const [b, bs] = cidrRange(outer);
  return a >= b && a + as <= b + bs;
};

export const overlaps = (x: string, y: string): boolean => {
  const [a, as] = cidrRange(x);
  const [b, bs] = cidrRange(y);
  return a < b + bs && b < a + as;
};

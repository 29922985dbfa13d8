// Turns CustomResourceDefinition YAML files into kubeconform's stand-alone JSON schemas, strict (an unknown field
// is an error, as kubectl's server-side field validation makes it): `<out>/<group>/<kind>_<version>.json`.
// Usage: node crd-schemas.ts <out dir> <crd.yaml>...
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

type Schema = Record<string, unknown>;

/** Closes every object schema that lists its properties, unless it keeps unknown fields on purpose. */
export function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) out[k] = strict(v);
  const open = out['x-kubernetes-preserve-unknown-fields'] === true || 'additionalProperties' in out;
  if (out['properties'] && !open) out['additionalProperties'] = false;
  return out;
}

export function convert(outDir: string, files: string[]): number {
  let written = 0;
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const crd = doc.toJS() as Schema | null;
      if (!crd || crd['kind'] !== 'CustomResourceDefinition') continue;
      const spec = crd['spec'] as { group: string; names: { kind: string }; versions: Schema[] };
      for (const v of spec.versions) {
        const schema = (v['schema'] as { openAPIV3Schema?: Schema } | undefined)?.openAPIV3Schema;
        if (!schema) continue;
        const dir = path.join(outDir, spec.group);
        mkdirSync(dir, { recursive: true });
        const name = `${spec.names.kind.toLowerCase()}_${String(v['name'])}.json`;
        writeFileSync(path.join(dir, name), JSON.stringify(strict(schema)));
        written++;
      }
    }
  }
  return written;
}

if (import.meta.main) {
  const [outDir, ...files] = process.argv.slice(2);
  if (!outDir || files.length === 0) throw new Error('usage: node crd-schemas.ts <out dir> <crd.yaml>...');
  console.log(`[schemas] ${convert(outDir, files)} CRD schemas from ${files.length} files into ${outDir}`);
}

// Sets `image.tag` (the one tag all of the chart's images share) in GitOps values files, keeping their
// comments and layout; ArgoCD rolls out what lands in git. Used by .github/workflows/main.yml.
// Usage: node infra/scripts/bump-image-tags.ts <tag> <values file>...
import { readFile, writeFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';

const [tag, ...files] = process.argv.slice(2);
// An image tag (Docker's grammar): no quoting tricks or paths can come through here.
if (!tag || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag) || files.length === 0) {
  console.error('usage: bump-image-tags.ts <tag> <values file>...');
  process.exit(2);
}
for (const file of files) {
  const doc = parseDocument(await readFile(file, 'utf8'));
  if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]!.message}`);
  doc.setIn(['image', 'tag'], tag);
  await writeFile(file, doc.toString());
  console.log(`${file}: image.tag = ${tag}`);
}

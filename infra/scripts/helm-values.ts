// Writes a composition's `helm_values` output as the chart's values file for that environment
// (deploy/helm/emporium/values-<env>.infra.yaml), so the chart gets endpoints and role ARNs from what
// Terraform created instead of hand-copied strings. Usage (after apply, in infra/envs/<env>/aws):
//   terraform output -json helm_values | node ../../../scripts/helm-values.ts <env>
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { stringify } from 'yaml';

const env = process.argv[2];
if (env !== 'staging' && env !== 'production') {
  console.error('usage: terraform output -json helm_values | helm-values.ts <staging|production>');
  process.exit(2);
}
const values = JSON.parse(await text(process.stdin)) as Record<string, unknown>;
const file = path.resolve(import.meta.dirname, '../../deploy/helm/emporium', `values-${env}.infra.yaml`);
const header = `# Written by infra/scripts/helm-values.ts from infra/envs/${env}/aws outputs: do not edit by hand.\n`;
await writeFile(file, header + stringify(values));
console.log(`wrote ${path.relative(process.cwd(), file)}`);

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { chartDir, toolsDir } from './config.ts';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  [key: string]: unknown;
}

/** `helm template` of the chart with one environment's values (then any more files and --set), as YAML text. */
export function renderChart(environment: string, set: string[] = [], files: string[] = []): string {
  const helm = path.join(toolsDir(), 'helm');
  const args = ['template', 'emporium', chartDir, '--namespace', `emporium-${environment}`, '--kube-version', '1.27.0'];
  args.push('-f', path.join(chartDir, 'values.yaml'), '-f', path.join(chartDir, `values-${environment}.yaml`));
  for (const f of files) args.push('-f', f);
  for (const s of set) args.push('--set', s);
  return execFileSync(helm, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null && typeof o === 'object');
}

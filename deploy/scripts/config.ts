import os from 'node:os';
import path from 'node:path';

/** Where deploy/scripts/tools.sh puts its binaries (the deploy checks' only setting). */
export const toolsDir = (env: Record<string, string | undefined> = process.env): string =>
  path.join(env['EMPORIUM_TOOLS'] ?? path.join(os.homedir(), '.cache', 'emporium-tools'), 'bin-deploy');

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const chartDir = path.join(repoRoot, 'deploy', 'helm', 'emporium');
export const environments = ['staging', 'production'] as const;

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { flagFileTemplate, isProduction } from '@emporium/kit';
import type { PlatformConfig } from './config.ts';

/**
 * The settings that point every service at `<data dir>/flags.json` (docs/failure-flags.md), written on a
 * first start with every flag DISABLED for an operator to flip. In production mode no file is offered, and
 * the mode is passed on so a service handed FLAGS_FILE anyway ignores it.
 */
export async function flagSettingsFor(
  config: PlatformConfig,
  say: (line: string) => void,
): Promise<Record<string, string>> {
  const mode = {
    ...(config.nodeEnv ? { NODE_ENV: config.nodeEnv } : {}),
    ...(config.emporiumEnv ? { EMPORIUM_ENV: config.emporiumEnv } : {}),
  };
  if (isProduction(config)) {
    say('production mode: failure flags are off and no flag file is read');
    return mode;
  }
  const file = path.join(config.dataDir, 'flags.json');
  try {
    await writeFile(file, flagFileTemplate(), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return { ...mode, FLAGS_FILE: file };
}

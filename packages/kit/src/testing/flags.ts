import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JsonValue } from '@openfeature/server-sdk';
import type { FlagName } from '../flags.ts';

/**
 * A flag file in a temporary folder that a test turns flags on and off in, as an operator would: each `set`
 * replaces the whole file (written aside, then renamed), every flag given ENABLED, every other one absent.
 */
export async function createFlagFile() {
  const dir = await mkdtemp(path.join(tmpdir(), 'emporium-flags-'));
  const file = path.join(dir, 'flags.json');
  const set = async (on: Partial<Record<FlagName, JsonValue>>) => {
    const flags = Object.fromEntries(
      Object.entries(on).map(([name, value]) => [
        name,
        { state: 'ENABLED', variants: { drill: value as JsonValue }, defaultVariant: 'drill' },
      ]),
    );
    await writeFile(`${file}.tmp`, JSON.stringify({ flags }));
    await rename(`${file}.tmp`, file);
  };
  await set({});
  return { file, set, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

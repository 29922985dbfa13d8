import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseFlagFile } from '@emporium/kit';
import { readPlatformConfig } from './config.ts';
import { flagSettingsFor } from './flags.ts';

test('the launcher points services at <data dir>/flags.json, written once with every flag DISABLED', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'emporium-flags-'));
  try {
    const config = readPlatformConfig({ EMPORIUM_DATA_DIR: dataDir });
    const env = await flagSettingsFor(config, () => undefined);
    assert.deepEqual(env, { FLAGS_FILE: path.join(dataDir, 'flags.json') });
    const written = parseFlagFile(await readFile(env['FLAGS_FILE']!, 'utf8'));
    assert.ok([...written.values()].every((f) => f.state === 'DISABLED'));
    // An operator's file is never overwritten by a restart.
    await writeFile(env['FLAGS_FILE']!, '{"flags": {}}');
    await flagSettingsFor(config, () => undefined);
    assert.equal(await readFile(env['FLAGS_FILE']!, 'utf8'), '{"flags": {}}');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('in production mode the launcher offers no flag file and passes the mode on', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'emporium-flags-'));
  try {
    const said: string[] = [];
    const config = readPlatformConfig({ EMPORIUM_DATA_DIR: dataDir, EMPORIUM_ENV: 'production' });
    assert.deepEqual(await flagSettingsFor(config, (l) => void said.push(l)), { EMPORIUM_ENV: 'production' });
    assert.match(said.join(), /failure flags are off/);
    await assert.rejects(readFile(path.join(dataDir, 'flags.json')));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startPostgres } from './postgres.ts';

const modeOf = async (p: string) => (await stat(p)).mode & 0o7777;

test('starting PostgreSQL changes the mode of the folders it created and of no other', async () => {
  // A shared folder like the system temp folder: world-writable with the sticky bit.
  const shared = await mkdtemp(path.join(tmpdir(), 'emporium-pg-mode-'));
  await chmod(shared, 0o1777);
  const tmpBefore = await modeOf(tmpdir());
  const dataDir = path.join(shared, 'a', 'b', 'postgres');
  const postgres = await startPostgres({ dataDir, port: 25632, portAttempts: 50, fast: true });
  try {
    assert.equal((await modeOf(shared)).toString(8), '1777', 'an existing parent keeps its mode and sticky bit');
    assert.equal((await modeOf(tmpdir())).toString(8), tmpBefore.toString(8));
    if (userInfo().uid === 0) {
      // Run as root, postgres runs as its own user, which must reach the data through the new folders.
      assert.equal((await modeOf(path.join(shared, 'a'))).toString(8), '755');
      assert.equal((await modeOf(path.join(shared, 'a', 'b'))).toString(8), '755');
    }
  } finally {
    await postgres.stop();
    await rm(shared, { recursive: true, force: true });
  }
});

const notRoot = userInfo().uid !== 0 && 'needs root';
test('a parent the postgres user cannot pass is reported, not opened up', { skip: notRoot }, async () => {
  const closed = await mkdtemp(path.join(tmpdir(), 'emporium-pg-closed-'));
  try {
    await chmod(closed, 0o700);
    const dataDir = path.join(closed, 'postgres');
    const starting = startPostgres({ dataDir, port: 25682, portAttempts: 50, fast: true });
    await assert.rejects(starting, /cannot pass through/);
    assert.equal((await modeOf(closed)).toString(8), '700');
  } finally {
    await rm(closed, { recursive: true, force: true });
  }
});

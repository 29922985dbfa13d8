import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { infraDir } from './hcl.ts';

const run = promisify(execFile);
const bump = path.join(infraDir, 'scripts/bump-image-tags.ts');
const dir = await mkdtemp(path.join(tmpdir(), 'emporium-bump-'));
after(() => rm(dir, { recursive: true, force: true }));

const values = `# Staging: comments stay.
environment: staging
image:
  # CI moves this.
  tag: "0.1.0"
  pullPolicy: IfNotPresent
services:
  gateway:
    image:
      tag: keep-me
`;

test('the release workflow moves image.tag and nothing else, comments and layout kept', async () => {
  const file = path.join(dir, 'values-staging.yaml');
  await writeFile(file, values);
  await run(process.execPath, [bump, '3f2c9e1a7b', file]);
  assert.equal(await readFile(file, 'utf8'), values.replace('tag: "0.1.0"', 'tag: "3f2c9e1a7b"'));
});

test('a tag that is not a Docker tag is refused and the file is untouched', async () => {
  const file = path.join(dir, 'values-production.yaml');
  await writeFile(file, values);
  for (const bad of ['', 'a b', '$(id)', 'x'.repeat(129), '-leading-dash']) {
    await assert.rejects(run(process.execPath, [bump, bad, file]), (err: { code?: number }) => err.code === 2);
  }
  assert.equal(await readFile(file, 'utf8'), values);
});

import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { infraDir, readModule, type Hcl } from './hcl.ts';

const compositions = ['envs/production/aws', 'envs/production/gcp', 'envs/staging/aws', 'envs/staging/gcp'];

test('compositions: Terraform ≥ 1.10, exact provider versions, S3 state with locking, tags everywhere', async () => {
  for (const dir of compositions) {
    const mod = await readModule(dir);
    const tf = mod['terraform'][0];
    assert.equal(tf['required_version'], '>= 1.10', dir);
    for (const [name, p] of Object.entries(tf['required_providers'][0] as Hcl))
      assert.match(p['version'], /^\d+\.\d+\.\d+$/, `${dir}: ${name} pinned exactly`);
    const s3 = tf['backend']['s3'][0];
    assert.equal(s3['use_lockfile'], true, `${dir} locks its state`);
    assert.equal(s3['encrypt'], true);
    assert.equal(s3['key'], `${dir.split('/').slice(1).join('/')}.tfstate`);
    const provider = mod['provider'];
    if (provider['aws']) assert.equal(provider['aws'][0]['default_tags'][0]['tags']['Project'], 'emporium');
    if (provider['google']) assert.equal(provider['google'][0]['default_labels']['project'], 'emporium');
  }
});

test('modules: each declares its Terraform and provider requirements; variables and outputs are described', async () => {
  const modules = await readdir(path.join(infraDir, 'modules'));
  assert.ok(modules.length >= 10);
  for (const name of modules) {
    const mod = await readModule(`modules/${name}`);
    assert.equal(mod['terraform']?.[0]?.['required_version'], '>= 1.10', name);
    for (const kind of ['variable', 'output'])
      for (const [k, v] of Object.entries((mod[kind] ?? {}) as Hcl))
        assert.ok(v[0]['description'], `${name}: ${kind} ${k} has a description`);
    assert.equal(mod['provider'], undefined, `${name} configures no provider (the composition does)`);
  }
});

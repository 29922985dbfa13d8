import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseFlagFile } from './flag-file-provider.ts';
import { createFlags, flagFileTemplate, flagSettings, isProduction } from './flags.ts';
import { loadConfig } from './config.ts';
import client from 'prom-client';

const on = (value: unknown) => ({ state: 'ENABLED', variants: { on: value, off: 0 }, defaultVariant: 'on' });

function recorder() {
  const lines: Array<{ level: string; message: string; obj: Record<string, unknown> }> = [];
  const at = (level: string) => (obj: object, message: string) =>
    void lines.push({ level, message, obj: obj as Record<string, unknown> });
  return { lines, log: { warn: at('warn'), info: at('info') } };
}

async function tempFile() {
  const dir = await mkdtemp(path.join(tmpdir(), 'flags-'));
  return { file: path.join(dir, 'flags.json'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

test('typed reads come from the file, with the off value for every flag it does not turn on', async () => {
  const { file, cleanup } = await tempFile();
  const flagsOn = {
    paymentFailure: on(0.25),
    kafkaPublishFailure: on(true),
    notificationChannelFailure: on({ sms: true }),
  };
  await writeFile(file, JSON.stringify({ flags: flagsOn }));
  const { lines, log } = recorder();
  const registry = new client.Registry();
  const flags = await createFlags({ service: 't', config: { flagsFile: file, flagsPollMs: 60_000 }, log, registry });
  try {
    assert.equal(flags.active, true);
    assert.equal(flags.number('paymentFailure'), 0.25);
    assert.equal(flags.boolean('kafkaPublishFailure'), true);
    assert.deepEqual(flags.object('notificationChannelFailure'), { sms: true });
    assert.equal(flags.number('paymentLatencyMs'), 0);
    assert.equal(flags.number('catalogLatencyMs', 7), 7, 'a flag the file does not set reads as the fallback');
    assert.equal(flags.string('paymentFailureMode'), 'unavailable');
    assert.equal(flags.boolean('productsCacheDown'), false);
    assert.ok(
      lines.some((l) => l.level === 'warn' && l.message === 'failure flag on' && l.obj['flag'] === 'paymentFailure'),
    );
    assert.match(await registry.metrics(), /emporium_failure_flag_value\{flag="paymentFailure"\} 0.25/);
    const hits = Array.from({ length: 4000 }, () => flags.chance('paymentFailure')).filter(Boolean).length;
    assert.ok(hits > 800 && hits < 1200, `share 0.25 gave ${hits} of 4000`);

    // Turned off and on again without a restart.
    const flagsNow = { paymentFailure: { ...on(1), state: 'DISABLED' }, paymentLatencyMs: on(250) };
    await writeFile(file, JSON.stringify({ flags: flagsNow }));
    await flags.refresh();
    assert.equal(flags.number('paymentFailure'), 0);
    assert.equal(flags.chance('paymentFailure'), false);
    assert.equal(flags.boolean('kafkaPublishFailure'), false);
    assert.equal(flags.number('paymentLatencyMs'), 250);
  } finally {
    await flags.close();
    await cleanup();
  }
});

test('a value out of range or of the wrong type leaves the flag off and says so', async () => {
  const { file, cleanup } = await tempFile();
  const bad = { paymentFailure: on(5), paymentFailureMode: on('sometimes'), productsCacheDown: on('yes') };
  await writeFile(file, JSON.stringify({ flags: bad }));
  const { lines, log } = recorder();
  const flags = await createFlags({ service: 't', config: { flagsFile: file, flagsPollMs: 60_000 }, log });
  try {
    assert.equal(flags.number('paymentFailure'), 0);
    assert.equal(flags.string('paymentFailureMode'), 'unavailable');
    assert.equal(flags.boolean('productsCacheDown'), false);
    assert.equal(lines.filter((l) => l.message.includes('out of range')).length, 2);
    assert.equal(lines.filter((l) => l.message.includes('wrong type')).length, 1);
  } finally {
    await flags.close();
    await cleanup();
  }
});

test('production refuses the flags: the file is never read, and a configured file is warned about', async () => {
  const { file, cleanup } = await tempFile();
  await writeFile(file, JSON.stringify({ flags: { paymentFailure: on(1) } }));
  for (const env of [{ NODE_ENV: 'production' }, { EMPORIUM_ENV: 'production', NODE_ENV: 'test' }]) {
    const config = loadConfig('t', flagSettings, { FLAGS_FILE: file, ...env });
    assert.equal(isProduction(config), true);
    const { lines, log } = recorder();
    const flags = await createFlags({ service: 't', config, log });
    assert.equal(flags.active, false);
    assert.equal(flags.number('paymentFailure'), 0);
    assert.equal(flags.chance('paymentFailure'), false);
    const said = lines.map((l) => `${l.level} ${l.message}`);
    assert.deepEqual(said, ['warn FLAGS_FILE is ignored in production: failure flags are never evaluated']);
  }
  await cleanup();
});

test('without a file every flag is off', async () => {
  const flags = await createFlags({ service: 't', config: loadConfig('t', flagSettings, {}), log: recorder().log });
  assert.equal(flags.active, false);
  assert.equal(flags.number('catalogLatencyMs'), 0);
  assert.deepEqual(flags.object('notificationChannelFailure'), {});
});

test('the launcher template is a valid flagd file with every flag present and DISABLED', async () => {
  const parsed = parseFlagFile(flagFileTemplate());
  assert.equal(parsed.size, 7);
  for (const [name, def] of parsed) assert.equal(def.state, 'DISABLED', name);
  const { file, cleanup } = await tempFile();
  await writeFile(file, flagFileTemplate());
  const { lines, log } = recorder();
  const flags = await createFlags({ service: 't', config: { flagsFile: file, flagsPollMs: 60_000 }, log });
  assert.equal(flags.number('paymentFailure'), 0);
  assert.equal(lines.filter((l) => l.level === 'warn').length, 0);
  await flags.close();
  await cleanup();
});

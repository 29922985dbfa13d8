import assert from 'node:assert/strict';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ErrorCode, StandardResolutionReasons } from '@openfeature/server-sdk';
import { FlagFileProvider, parseFlagFile } from './flag-file-provider.ts';

const flag = (defaultVariant: string, variants: Record<string, unknown>, state = 'ENABLED') => ({
  state,
  variants,
  defaultVariant,
});
const fileOf = (flags: Record<string, unknown>) => JSON.stringify({ flags });

async function withProvider(run: (p: FlagFileProvider, file: string, logged: string[]) => Promise<void>) {
  const dir = await mkdtemp(path.join(tmpdir(), 'flags-'));
  const file = path.join(dir, 'flags.json');
  const logged: string[] = [];
  const log = {
    warn: (_o: object, m: string) => void logged.push(`warn ${m}`),
    info: (_o: object, m: string) => void logged.push(`info ${m}`),
  };
  const provider = new FlagFileProvider({ file, pollMs: 60_000, log });
  try {
    await run(provider, file, logged);
  } finally {
    await provider.onClose();
    await rm(dir, { recursive: true, force: true });
  }
}

test('a flagd file parses; every problem of a bad one is listed', () => {
  const flags = parseFlagFile(fileOf({ a: flag('on', { on: 1, off: 0 }), b: flag('x', { x: 'y' }, 'DISABLED') }));
  assert.deepEqual([...flags.keys()], ['a', 'b']);
  assert.throws(() => parseFlagFile('{"flags": '), /not JSON/);
  assert.throws(() => parseFlagFile('{"flag": {}}'), /"flags"/);
  const twoBad = fileOf({ a: flag('nope', { on: 1 }), b: { ...flag('on', { on: 1 }), state: 'ON' } });
  assert.throws(() => parseFlagFile(twoBad), /a: defaultVariant.*b: state/);
});

test('the default variant is served; a disabled, missing or mistyped flag gives the caller its default', async () => {
  await withProvider(async (p, file) => {
    await writeFile(
      file,
      fileOf({
        share: flag('half', { off: 0, half: 0.5 }),
        mode: flag('d', { d: 'declined' }),
        off: flag('on', { on: true }, 'DISABLED'),
        map: flag('sms', { sms: { sms: true } }),
      }),
    );
    await p.initialize();
    const share = await p.resolveNumberEvaluation('share', 0);
    assert.deepEqual(share, { value: 0.5, variant: 'half', reason: StandardResolutionReasons.STATIC });
    assert.equal((await p.resolveStringEvaluation('mode', 'x')).value, 'declined');
    assert.deepEqual((await p.resolveObjectEvaluation('map', {})).value, { sms: true });
    const off = await p.resolveBooleanEvaluation('off', false);
    assert.deepEqual(off, { value: false, reason: StandardResolutionReasons.DISABLED });
    assert.equal((await p.resolveBooleanEvaluation('missing', false)).errorCode, ErrorCode.FLAG_NOT_FOUND);
    const mistyped = await p.resolveBooleanEvaluation('share', false);
    assert.equal(mistyped.value, false);
    assert.equal(mistyped.errorCode, ErrorCode.TYPE_MISMATCH);
  });
});

test('no file means no flags; a file written, replaced or removed later is picked up', async () => {
  await withProvider(async (p, file) => {
    await p.initialize();
    assert.equal((await p.resolveNumberEvaluation('share', 0)).errorCode, ErrorCode.FLAG_NOT_FOUND);
    const changes: unknown[] = [];
    p.events.addHandler('PROVIDER_CONFIGURATION_CHANGED' as never, (e: unknown) => void changes.push(e));
    await writeFile(file, fileOf({ share: flag('all', { all: 1 }) }));
    assert.equal(await p.reload(), true);
    assert.equal((await p.resolveNumberEvaluation('share', 0)).value, 1);
    assert.equal(await p.reload(), false, 'an unchanged file is not read again');
    // An editor's save: a new file renamed over the old one.
    await writeFile(`${file}.tmp`, fileOf({ share: flag('all', { all: 1 }, 'DISABLED') }));
    await rename(`${file}.tmp`, file);
    assert.equal(await p.reload(), true);
    assert.equal((await p.resolveNumberEvaluation('share', 0)).value, 0);
    await rm(file);
    assert.equal(await p.reload(), true);
    assert.equal((await p.resolveNumberEvaluation('share', 0)).errorCode, ErrorCode.FLAG_NOT_FOUND);
    await new Promise((r) => setImmediate(r));
    assert.ok(changes.length >= 2);
  });
});

test('a malformed file keeps the last good flags and is reported once', async () => {
  await withProvider(async (p, file, logged) => {
    await writeFile(file, fileOf({ share: flag('all', { all: 1 }) }));
    await p.initialize();
    await writeFile(file, '{"flags": {"share": {"state": "ENABLED", "variants": {"all"');
    assert.equal(await p.reload(), false);
    assert.equal(await p.reload(), false);
    assert.equal((await p.resolveNumberEvaluation('share', 0)).value, 1);
    assert.equal(logged.filter((l) => l.includes('does not parse')).length, 1);
    await writeFile(file, fileOf({ share: flag('none', { none: 0 }) }));
    assert.equal(await p.reload(), true);
    assert.equal((await p.resolveNumberEvaluation('share', 1)).value, 0);
  });
});

test('the poll notices a change without being asked', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'flags-'));
  const file = path.join(dir, 'flags.json');
  const p = new FlagFileProvider({ file, pollMs: 50, log: { warn: () => undefined, info: () => undefined } });
  await p.initialize();
  await writeFile(file, fileOf({ on: flag('on', { on: true }) }));
  const deadline = Date.now() + 5_000;
  while (!(await p.resolveBooleanEvaluation('on', false)).value && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal((await p.resolveBooleanEvaluation('on', false)).value, true);
  await p.onClose();
  await rm(dir, { recursive: true, force: true });
});

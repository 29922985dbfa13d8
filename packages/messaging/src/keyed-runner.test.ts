import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createKeyedRunner } from './keyed-runner.ts';

const noCommitError = (err: unknown) => assert.fail(`a commit failed: ${String(err)}`);

/** A message whose handling finishes when the test says so, and which records its commits. */
function fakeMessages(committed: string[]) {
  const gates = new Map<string, () => void>();
  const started: string[] = [];
  const make = (partition: number, key: string, offset: number) => ({
    topic: 't',
    partition,
    key,
    offset: BigInt(offset),
    id: `${partition}:${offset}`,
    commit: () => void committed.push(`${partition}:${offset}`),
  });
  const run = (m: ReturnType<typeof make>) => {
    started.push(m.id);
    return new Promise<void>((resolve) => gates.set(m.id, resolve));
  };
  const finish = async (id: string) => {
    for (let i = 0; i < 100 && !gates.has(id); i++) await new Promise((r) => setImmediate(r));
    assert.ok(gates.has(id), `${id} was started`);
    gates.get(id)!();
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  return { make, run, finish, started };
}

describe('keyed runner', () => {
  test('one key in order, other keys side by side; commits only past what is handled', async () => {
    const committed: string[] = [];
    const f = fakeMessages(committed);
    const runner = createKeyedRunner({ concurrency: 10, run: f.run, onCommitError: noCommitError });
    await runner.submit(f.make(0, 'a', 0));
    await runner.submit(f.make(0, 'b', 1));
    await runner.submit(f.make(0, 'a', 2));
    await runner.submit(f.make(1, 'a', 0));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(f.started, ['0:0', '0:1', '1:0'], "the second 'a' of partition 0 waits for the first");

    await f.finish('0:1');
    assert.deepEqual(committed, [], 'offset 1 is done but offset 0 is not: nothing committed');
    await f.finish('1:0');
    assert.deepEqual(committed, ['1:0'], 'partitions are committed independently');
    await f.finish('0:0');
    assert.deepEqual(committed, ['1:0', '0:1'], 'offsets 0 and 1 done: one commit of the higher');
    assert.ok(f.started.includes('0:2'), "the second 'a' starts once the first is done");
    await f.finish('0:2');
    await runner.close();
    assert.deepEqual(committed, ['1:0', '0:1', '0:2']);
  });

  test('reads no further ahead than the concurrency', async () => {
    const f = fakeMessages([]);
    const runner = createKeyedRunner({ concurrency: 2, run: f.run, onCommitError: noCommitError });
    await runner.submit(f.make(0, 'a', 0));
    await runner.submit(f.make(0, 'b', 1));
    let third = false;
    const submitted = runner.submit(f.make(0, 'c', 2)).then(() => (third = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(third, false, 'the third waits for a slot');
    await f.finish('0:1');
    await submitted;
    assert.equal(third, true);
    await f.finish('0:0');
    await f.finish('0:2');
    await runner.close();
  });

  test('once closed, a message waiting for a slot is not started', async () => {
    const f = fakeMessages([]);
    const runner = createKeyedRunner({ concurrency: 1, run: f.run, onCommitError: noCommitError });
    await runner.submit(f.make(0, 'a', 0));
    const waiting = runner.submit(f.make(0, 'b', 1));
    const closing = runner.close();
    await waiting;
    await f.finish('0:0');
    await closing;
    assert.deepEqual(f.started, ['0:0']);
  });

  test('after a failure nothing more starts, nothing past it is committed, and drain reports it', async () => {
    const committed: string[] = [];
    const started: string[] = [];
    const msg = (offset: number, key: string) => ({
      topic: 't',
      partition: 0,
      key,
      offset: BigInt(offset),
      id: `0:${offset}`,
      commit: () => void committed.push(`0:${offset}`),
    });
    const runner = createKeyedRunner<ReturnType<typeof msg>>({
      concurrency: 1,
      run: async (m) => {
        started.push(m.id);
        if (m.id === '0:1') throw new Error('broken');
      },
      onCommitError: noCommitError,
    });
    await runner.submit(msg(0, 'a'));
    await runner.submit(msg(1, 'b'));
    await assert.rejects(runner.submit(msg(2, 'c')), /broken/);
    await assert.rejects(runner.close(), /broken/);
    assert.deepEqual(started, ['0:0', '0:1']);
    assert.deepEqual(committed, ['0:0']);
  });
});

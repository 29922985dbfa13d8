import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createInvoker, matchesFilter } from './s3-bridge.ts';

/** An invoke endpoint answering as the emulator does: 200 with the result, or 200 with Lambda's error object. */
async function endpoint(answer: (n: number) => object) {
  let calls = 0;
  const server: Server = createServer((req, res) => {
    req.resume().on('end', () => res.end(JSON.stringify(answer(++calls))));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/2015-03-31/functions/function/invocations`;
  return { url, calls: () => calls, close: () => new Promise((r) => server.close(r)) };
}

const event = { Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key: 'uploads/1/abc' } } }] };

test('the notification filter: created objects under the prefix only (keys arrive URL-encoded)', () => {
  const filter = { events: 'ObjectCreated', prefix: 'uploads/' } as const;
  assert.equal(matchesFilter(event.Records[0]!, filter), true);
  assert.equal(matchesFilter({ eventName: 'ObjectCreated:Put', s3: { object: { key: 'uploads%2F1' } } }, filter), true);
  assert.equal(
    matchesFilter({ eventName: 'ObjectCreated:Put', s3: { object: { key: 'products/1/x.webp' } } }, filter),
    false,
  );
  assert.equal(
    matchesFilter({ eventName: 'ObjectRemoved:Delete', s3: { object: { key: 'uploads/1' } } }, filter),
    false,
  );
});

test('a function error is retried, then the event is dead-lettered as Lambda records it', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'bridge-'));
  const fn = await endpoint(() => ({ errorType: 'TransientError', errorMessage: 'products answered 503' }));
  try {
    const invoker = createInvoker({ invokeUrl: fn.url, deadLetterDir: dir, retryDelaysMs: [10, 20] });
    await invoker.deliver(event);
    assert.equal(fn.calls(), 3, 'the first attempt and two retries');
    const [file, ...more] = await readdir(dir);
    assert.deepEqual(more, []);
    const record = JSON.parse(await readFile(path.join(dir, file!), 'utf8'));
    assert.equal(record.requestContext.condition, 'RetriesExhausted');
    assert.equal(record.requestContext.approximateInvokeCount, 3);
    assert.deepEqual(record.requestPayload, event);
    assert.equal(record.responsePayload.errorType, 'TransientError');
  } finally {
    await fn.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a success on a retry dead-letters nothing; events are handed over one at a time, in order', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'bridge-'));
  const fn = await endpoint((n) => (n === 1 ? { errorType: 'Error', errorMessage: 'once' } : { results: [] }));
  try {
    const invoker = createInvoker({
      invokeUrl: fn.url,
      deadLetterDir: dir,
      eventLog: path.join(dir, 'events.jsonl'),
      retryDelaysMs: [10, 20],
    });
    await Promise.all([invoker.deliver(event), invoker.deliver({ Records: [] })]);
    assert.equal(fn.calls(), 3);
    assert.deepEqual((await readdir(dir)).sort(), ['events.jsonl']);
    const logged = (await readFile(path.join(dir, 'events.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(logged, [event, { Records: [] }]);
  } finally {
    await fn.close();
    await rm(dir, { recursive: true, force: true });
  }
});

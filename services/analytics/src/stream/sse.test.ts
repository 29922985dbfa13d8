import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anomalyV1Example } from '@emporium/events';
import type { ResultRow } from '../results/result.ts';
import { heartbeatFrame, lastEventIdOf, openingFrame, resultFrame } from './sse.ts';

test('a result is one event with its stream position as id and one line of JSON', () => {
  const { result_type, window_start, window_end, ...payload } = anomalyV1Example;
  const row: ResultRow = {
    id: 3,
    result_type,
    window_start: new Date(window_start),
    window_end: new Date(window_end),
    item_key: payload.metric,
    payload: { ...payload, reason: 'two\nlines' },
    revision: 2,
    seq: 41,
    received_at: new Date('2025-11-23T10:35:02.000Z'),
  };
  const frame = resultFrame(row);
  assert.match(frame, /^id: 41\nevent: result\ndata: \{.*\}\n\n$/);
  assert.equal(frame.split('\n').length, 5);
  const data = JSON.parse(frame.split('\n')[2]!.slice('data: '.length));
  assert.equal(data.reason, 'two\nlines');
  assert.equal(data.revision, 2);
  assert.equal(data.window_start, window_start);
});

test('comments keep the stream open; only our own positions resume', () => {
  assert.equal(openingFrame(3000), 'retry: 3000\n: connected\n\n');
  assert.equal(heartbeatFrame(), ': heartbeat\n\n');
  assert.equal(lastEventIdOf('41'), 41);
  for (const bad of [undefined, '', '-1', '4.5', 'abc', '1'.repeat(16), ['1', '2']])
    assert.equal(lastEventIdOf(bad), undefined);
});

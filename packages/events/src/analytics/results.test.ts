import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidEventError } from '../registry.ts';
import { parseAnalyticsResult, resultContracts, resultItemKey, resultMessageKey } from './results.ts';

test('every result type has an example that passes its own schema', () => {
  assert.deepEqual(Object.keys(resultContracts).sort(), [
    'anomaly@1',
    'orders_by_region@1',
    'peak_hours@1',
    'top_products@1',
    'window_summary@1',
  ]);
  for (const [key, c] of Object.entries(resultContracts)) {
    assert.equal(`${c.example.result_type}@1`, key);
    assert.deepEqual(parseAnalyticsResult(structuredClone(c.example)), c.example);
  }
});

test('every field SPEC pins is required', () => {
  const fields: Record<string, string[]> = {
    window_summary: ['orders_placed', 'orders_paid', 'revenue', 'average_order_value'],
    top_products: ['rank', 'product_id', 'product_name', 'quantity', 'revenue'],
    orders_by_region: ['region', 'orders_paid', 'revenue'],
    peak_hours: ['hour', 'orders_paid', 'revenue'],
    anomaly: ['metric', 'value', 'expected', 'reason'],
  };
  for (const c of Object.values(resultContracts)) {
    for (const field of ['result_type', 'window_start', 'window_end', ...fields[c.example.result_type]!]) {
      const broken: Record<string, unknown> = structuredClone(c.example);
      delete broken[field];
      assert.throws(() => parseAnalyticsResult(broken), InvalidEventError, `${c.example.result_type} without ${field}`);
    }
  }
});

test('wrong types, bad windows and unknown types or versions are refused with reasons', () => {
  const summary = resultContracts['window_summary@1']!.example;
  assert.throws(() => parseAnalyticsResult({ ...summary, revenue: '10.00' }), /revenue/);
  assert.throws(() => parseAnalyticsResult({ ...summary, orders_paid: -1 }), /orders_paid/);
  assert.throws(() => parseAnalyticsResult({ ...summary, window_start: 'yesterday' }), /window_start/);
  assert.throws(
    () => parseAnalyticsResult({ ...summary, window_end: summary.window_start }),
    /window_end must be after window_start/,
  );
  assert.throws(() => parseAnalyticsResult({ ...summary, result_version: 2 }), /window_summary@2/);
  assert.throws(() => parseAnalyticsResult({ ...summary, result_type: 'weather' }), /unknown result type/);
  assert.throws(() => parseAnalyticsResult([]), InvalidEventError);
  assert.throws(() => parseAnalyticsResult(null), InvalidEventError);
  const hours = resultContracts['peak_hours@1']!.example;
  assert.throws(() => parseAnalyticsResult({ ...hours, hour: 24 }), /hour/);
});

test('a negative revenue (refunds beyond payments) and extra fields are accepted', () => {
  const summary = resultContracts['window_summary@1']!.example;
  assert.equal(
    parseAnalyticsResult({ ...summary, revenue: -20.5, average_order_value: -2.05 }).result_type,
    'window_summary',
  );
  assert.equal(
    parseAnalyticsResult({ ...summary, job_version: '1.2', result_version: 1 }).result_type,
    'window_summary',
  );
});

test('each result has its identity within the window, and the key SPEC gives it', () => {
  const items = Object.values(resultContracts).map((c) => resultItemKey(c.example));
  assert.deepEqual(items, ['', '1', 'GB', '10', 'orders_placed']);
  const top = resultContracts['top_products@1']!.example;
  assert.equal(resultMessageKey(top), 'top_products:2025-11-23T10:30:00.000Z');
});

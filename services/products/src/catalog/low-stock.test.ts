import assert from 'node:assert/strict';
import { test } from 'node:test';
import client from 'prom-client';
import { createLowStockWatch } from './low-stock.ts';
import type { ProductItem } from './product.ts';

test('a failing low-stock alert is logged and never fails the stock change that raised it', async () => {
  const warnings: Array<{ obj: object; msg: string }> = [];
  const watch = createLowStockWatch(
    5,
    new client.Registry(),
    () => {
      throw new Error('alert channel down');
    },
    { warn: (obj, msg) => void warnings.push({ obj, msg }) },
  );
  const item = {
    id: 3,
    name: 'Mug',
    category: 'Home',
    price: 4,
    stock_quantity: 4,
    sku: 'MUG-3',
  } as unknown as ProductItem;
  assert.doesNotThrow(() => watch.check(6, item));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(
    warnings.map((w) => w.msg),
    ['low-stock alert failed'],
  );
  assert.match(JSON.stringify(warnings[0]!.obj), /alert channel down/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crossesLowStock, imageUrlProblem, priceProblem, toProduct, type ProductItem } from './product.ts';

test('prices: non-negative, at most two decimals, no float noise rejected', () => {
  for (const ok of [0, 0.1, 19.99, 0.07, 1.1 + 2.2, 999_999.99]) assert.equal(priceProblem(ok), undefined, String(ok));
  assert.match(priceProblem(-0.01)!, /non-negative/);
  assert.match(priceProblem(1.005)!, /two decimals/);
  assert.match(priceProblem(Number.NaN)!, /non-negative/);
});

test('image URLs: public http(s) or a self-hosted path only', () => {
  for (const ok of [
    'https://cdn.example.com/a.png',
    'http://images.shop.example:8080/x.jpg',
    '/api/products/images/ELEC-0001.svg',
    'https://8.8.8.8/a.png',
  ]) {
    assert.equal(imageUrlProblem(ok), undefined, ok);
  }
  const refused = [
    'javascript:alert(1)',
    'file:///etc/passwd',
    'ftp://example.com/a',
    'not a url',
    '/etc/passwd',
    '/api/products/images/../../x.svg',
    'http://localhost/a',
    'http://LOCALHOST./a',
    'http://app.localhost/a',
    'http://127.0.0.1/a',
    'http://127.1/a',
    'http://0x7f000001/a',
    'http://2130706433/a',
    'http://0.0.0.0/a',
    'http://10.1.2.3/a',
    'http://172.16.0.1/a',
    'http://172.31.255.255/a',
    'http://192.168.0.10/a',
    'http://100.64.0.1/a',
    'http://169.254.169.254/latest/meta-data/',
    'http://metadata.google.internal/',
    'http://metadata/',
    'http://foo.internal/a',
    'http://[::1]/a',
    'http://[::]/a',
    'http://[fe80::1]/a',
    'http://[fd12:3456::1]/a',
    'http://[::ffff:127.0.0.1]/a',
    'http://[::ffff:a9fe:a9fe]/a',
    'https://user:pw@example.com/a.png',
  ];
  for (const bad of refused) assert.ok(imageUrlProblem(bad), bad);
  assert.equal(imageUrlProblem('http://172.32.0.1/a'), undefined, '172.32/16 is public');
});

test('a low-stock alert fires only when the threshold is crossed downwards', () => {
  assert.equal(crossesLowStock(6, 5, 5), true);
  assert.equal(crossesLowStock(20, 0, 5), true);
  assert.equal(crossesLowStock(5, 4, 5), false, 'already low');
  assert.equal(crossesLowStock(3, 8, 5), false, 'restock');
  assert.equal(crossesLowStock(9, 6, 5), false);
});

test('internal attributes never leave the service', () => {
  const item: ProductItem = {
    id: 1,
    name: 'n',
    description: 'd',
    price: 1,
    category: 'c',
    stock_quantity: 1,
    image_url: null,
    thumbnail_url: null,
    sku: 'ABC',
    created_at: 'x',
    updated_at: 'y',
    search_text: 'n d',
    holds: new Set(['9']),
    low_stock_threshold: 2,
    image_version: '2026-01-01T00:00:00.000Z|x|y',
  };
  assert.deepEqual(Object.keys(toProduct(item)).sort(), [
    'category',
    'created_at',
    'description',
    'id',
    'image_url',
    'name',
    'price',
    'sku',
    'stock_quantity',
    'thumbnail_url',
    'updated_at',
  ]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoCatalog } from './demo-catalog.ts';

const catalog = demoCatalog();

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

test('has 300 products over 12 categories, Books largest and one category smaller', () => {
  assert.equal(catalog.length, 300);
  const counts = countBy(catalog, (p) => p.category);
  assert.equal(counts.size, 12);
  assert.equal(counts.get('Books'), 36);
  const sizes = [...counts.values()].sort((a, b) => a - b);
  assert.deepEqual(sizes, [14, ...Array(10).fill(25), 36]);
  for (const category of counts.keys()) assert.match(category, /^[A-Z][A-Za-z &]+$/);
});

test('names and skus are unique and skus match the accepted format', () => {
  assert.equal(new Set(catalog.map((p) => p.name)).size, catalog.length);
  assert.equal(new Set(catalog.map((p) => p.sku)).size, catalog.length);
  for (const p of catalog) assert.match(p.sku, /^[A-Z0-9][A-Z0-9-]{2,31}$/);
  assert.equal(catalog[0]!.sku.endsWith('-0001'), true);
});

test('descriptions are one or two sentences that mention the name', () => {
  for (const p of catalog) {
    assert.ok(p.description.includes(p.name), p.sku);
    const sentences = p.description.split(/(?<=\.)\s+/);
    assert.ok(sentences.length >= 1 && sentences.length <= 2, p.description);
  }
});

test('prices have at most two decimals and stay within 1.99..1999.99', () => {
  for (const p of catalog) {
    assert.ok(Math.abs(Math.round(p.price * 100) - p.price * 100) < 1e-9, `${p.sku} ${p.price}`);
    assert.ok(p.price >= 1.99 && p.price <= 1999.99, `${p.sku} ${p.price}`);
  }
  const averageOf = (category: string) => {
    const prices = catalog.filter((p) => p.category === category).map((p) => p.price);
    return prices.reduce((a, b) => a + b, 0) / prices.length;
  };
  assert.ok(averageOf('Electronics') > averageOf('Grocery'), 'prices follow the category');
});

test('stock is 0..250 with a few sold out and some low', () => {
  for (const p of catalog)
    assert.ok(Number.isInteger(p.stock_quantity) && p.stock_quantity >= 0 && p.stock_quantity <= 250);
  const soldOut = catalog.filter((p) => p.stock_quantity === 0).length;
  const low = catalog.filter((p) => p.stock_quantity >= 1 && p.stock_quantity <= 5).length;
  assert.ok(soldOut >= 6 && soldOut <= 27, `sold out: ${soldOut}`);
  assert.ok(low >= 15 && low <= 50, `low stock: ${low}`);
});

test('image urls point at the self-hosted svg for the sku', () => {
  for (const p of catalog) assert.equal(p.image_url, `/api/products/images/${p.sku}.svg`);
});

test('every call returns identical data', () => {
  assert.deepEqual(demoCatalog(), catalog);
  assert.notEqual(demoCatalog(), demoCatalog());
});

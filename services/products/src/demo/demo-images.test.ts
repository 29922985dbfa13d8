import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoCatalog } from './demo-catalog.ts';
import { escapeXml, renderProductSvg, wrapName } from './demo-images.ts';

const backgroundOf = (svg: string): string => /<rect width="400" height="300" fill="([^"]+)"/.exec(svg)![1]!;
const textLines = (svg: string): string[] =>
  [...svg.matchAll(/font-size="24"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

test('escapeXml replaces all five special characters', () => {
  assert.equal(escapeXml(`a&b<c>d"e'f`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f');
  assert.equal(escapeXml('&amp;'), '&amp;amp;');
});

test('renders a 400x300 svg with the sku and no scripts or external references', () => {
  const svg = renderProductSvg({ sku: 'ELEC-0001', name: 'Wireless Speaker', category: 'Electronics' });
  assert.ok(svg.startsWith('<svg'));
  assert.ok(svg.endsWith('</svg>'));
  assert.match(svg, /width="400" height="300" viewBox="0 0 400 300"/);
  assert.ok(svg.includes('>ELEC-0001</text>'));
  assert.deepEqual(textLines(svg), ['Wireless Speaker']);
  assert.doesNotMatch(svg, /<script|href=|@import|url\(/i);
});

test('escapes the name so markup in it stays text', () => {
  const svg = renderProductSvg({ sku: 'TOYS-0001', name: `<script>&"'`, category: 'Toys' });
  assert.ok(!svg.includes('<script>'));
  assert.ok(svg.includes('&lt;script&gt;&amp;&quot;&apos;'));
  assert.equal(
    [...svg.matchAll(/<[a-z]/g)].length,
    [...svg.matchAll(/<\//g)].length + [...svg.matchAll(/\/>/g)].length,
  );
});

test('wraps onto at most two lines of 24 characters and cuts with an ellipsis', () => {
  assert.deepEqual(wrapName('Ceramic Salt & Pepper Mill Large'), ['Ceramic Salt & Pepper', 'Mill Large']);
  const long = 'Extraordinarily Comfortable Orthopedic Memory Foam Dog Bed Large';
  const lines = wrapName(long);
  assert.equal(lines.length, 2);
  assert.ok(lines.every((line) => line.length <= 24));
  assert.ok(lines[1]!.endsWith('…'));
  assert.deepEqual(wrapName('A'.repeat(60)), ['A'.repeat(24), `${'A'.repeat(23)}…`]);
  const svg = renderProductSvg({ sku: 'PETS-0001', name: long, category: 'Pets' });
  assert.deepEqual(textLines(svg), lines);
});

test('cuts before escaping so an entity is never split', () => {
  const lines = textLines(
    renderProductSvg({ sku: 'HOME-0001', name: `${'x'.repeat(23)} ${'&'.repeat(30)}`, category: 'Home' }),
  );
  assert.equal(lines.length, 2);
  assert.match(lines[1]!, /^(&amp;)+…$/);
});

test('same input gives the same svg', () => {
  const input = { sku: 'BOOK-0002', name: 'Pocket Atlas', category: 'Books' };
  assert.equal(renderProductSvg(input), renderProductSvg({ ...input }));
});

test('each demo category gets its own background colour', () => {
  const categories = [...new Set(demoCatalog().map((p) => p.category))];
  const backgrounds = categories.map((category) =>
    backgroundOf(renderProductSvg({ sku: 'X-1', name: 'Same', category })),
  );
  assert.equal(new Set(backgrounds).size, categories.length);
  assert.notEqual(
    backgroundOf(renderProductSvg({ sku: 'A1', name: 'n', category: 'Books' })),
    backgroundOf(renderProductSvg({ sku: 'A1', name: 'n', category: 'Garden' })),
  );
});

test('an unknown category still gets a stable colour', () => {
  const render = (category: string) => backgroundOf(renderProductSvg({ sku: 'A1', name: 'n', category }));
  assert.match(render('Antiques'), /^hsl\(\d+, \d+%, \d+%\)$/);
  assert.equal(render('Antiques'), render('Antiques'));
  assert.match(render('toString'), /^hsl\(/);
});

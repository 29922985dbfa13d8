import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NOTICE_TYPES } from '../notices/notice.ts';
import { TEMPLATES_DIR } from '../app.ts';
import { sampleData } from './template-samples.ts';
import { CHANNELS, createRenderer } from './template-renderer.ts';

const renderer = createRenderer(TEMPLATES_DIR);
const data = {
  region: 'GB',
  currency: 'GBP',
  customer: { name: 'Ann <script>alert(1)</script>' },
  order: {
    id: 42,
    total_amount: 1234.5,
    placed_at: '2025-07-01T09:05:00Z',
    items: [{ product_name: 'Salt & "Pepper"', quantity: 3, price: 411.5 }],
  },
};

test('HTML escapes what it inserts; text, SMS and push keep it as written', () => {
  const mail = renderer.render('order_confirmation', 'email', data);
  assert.match(mail.html!, /Ann &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(mail.html!, /<td>Salt &amp; &quot;Pepper&quot;<\/td>/);
  assert.doesNotMatch(mail.html!, /<script>/);
  assert.match(mail.text, /^Hello Ann <script>alert\(1\)<\/script>,/);
  assert.match(mail.text, /- Salt & "Pepper" × 3: £411\.50\nTotal: £1,234\.50/);
  assert.equal(mail.subject, 'Order #42 confirmed');
  assert.equal(
    renderer.render('order_confirmation', 'sms', data).text,
    'Emporium: order #42 confirmed, total £1,234.50.',
  );
});

test('money and dates are written for the shipping country', () => {
  assert.match(renderer.render('order_confirmation', 'email', data).text, /Placed on 1 July 2025 at 10:05 BST\./);
  const us = renderer.render('order_confirmation', 'email', { ...data, region: 'US', currency: 'USD' }).text;
  assert.match(us, /Placed on July 1, 2025 at 05:05 AM EDT\./);
  assert.match(us, /Total: \$1,234\.50/);
});

test('text mail starts with its greeting line, then a blank line (the layout a reader sees)', () => {
  for (const type of NOTICE_TYPES.filter((t) => t !== 'message')) {
    const text = renderer.render(type, 'email', sampleData(type, 'http://shop.test', 'USD')).text;
    assert.match(text, /^Hello Ada Lovelace,\n\n\S/, type);
  }
});

test('every type renders on every channel from its sample; missing data fails instead of leaving a blank', () => {
  for (const type of NOTICE_TYPES) {
    for (const channel of CHANNELS) {
      const out = renderer.render(type, channel, sampleData(type, 'http://shop.test', 'USD'));
      assert.ok(out.text.length > 0, `${type}/${channel}`);
      assert.doesNotMatch(out.text, /undefined|\[object/, `${type}/${channel}`);
    }
  }
  assert.throws(() => renderer.render('order_shipped', 'email', { customer: { name: 'x' } }), /not defined/);
});

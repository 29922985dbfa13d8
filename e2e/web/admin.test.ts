import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Response } from 'playwright-core';
import { address, startShop, type Shop } from '../checkout/shop.ts';
import { assertAccessible, contextFor, launch, screenshot, skip, stockShop, until } from './browser.ts';

// The admin console in a real browser against the real shop; the API, not the page, is what refuses customers.
let shop: Shop;
let browser: Browser;
let catalog: Awaited<ReturnType<typeof stockShop>>;
const admin = { email: 'admin@example.com', password: 'admin-password-1' };
before(
  async () => {
    if (skip) return;
    shop = await startShop();
    catalog = await stockShop(shop, 'AD');
    browser = await launch();
  },
  // Its own shop (and broker) on a loaded machine can take longer than a test's 120 s to start.
  { timeout: 600_000 },
);
after(async () => {
  if (skip) return;
  await browser?.close();
  await shop.close();
});

async function placeOrder(name: string) {
  const me = await shop.login(name);
  const body = { items: [{ product_id: catalog.pillow.id, quantity: 2 }], shipping_address: address };
  const res = await shop.call('POST', '/api/orders', body, { ...me.auth, 'idempotency-key': `admin-test-${name}` });
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return { me, order: res.json as { id: number } };
}

describe('admin console', { skip }, () => {
  test('an admin signs in, creates a product and adjusts its stock, and the storefront shows it', async () => {
    const context = await contextFor(browser, shop);
    const page = await context.newPage();
    await page.goto('/admin');
    await page.getByRole('heading', { name: 'Staff sign in' }).waitFor();
    await assertAccessible(page, 'admin sign in');
    await page.getByLabel('Username or email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Orders' }).waitFor();

    await page.getByRole('link', { name: 'Products' }).click();
    await page.getByRole('link', { name: 'Walnut Desk Lamp' }).waitFor();
    await assertAccessible(page, 'admin products');
    await screenshot(page, 'admin-products');
    await page.getByRole('link', { name: 'New product' }).click();
    await page.getByLabel('Name').fill('Brass Candle Holder');
    await page.getByLabel('Description').fill('Solid brass, fits dinner candles.');
    await page.getByLabel('Price (USD)').fill('18.75');
    await page.getByLabel('Category').fill('Home');
    await page.getByLabel('SKU').fill('bad sku!');
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.getByText('SKU is not in the right format').waitFor();
    await assertAccessible(page, 'product form with an error');
    await page.getByLabel('SKU').fill('AD-CANDLE-1');
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.getByRole('heading', { name: 'Edit Brass Candle Holder' }).waitFor();
    await page.getByLabel('Change stock of Brass Candle Holder by').fill('7');
    await page.getByRole('button', { name: 'Adjust' }).click();
    await until('the stock shows 7', async () => (await page.getByTestId('stock').textContent()) === '7');
    await page.getByLabel('Change stock of Brass Candle Holder by').fill('-9');
    await page.getByRole('button', { name: 'Adjust' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByTestId('stock').textContent(), '7');

    const shopper = await (await contextFor(browser, shop)).newPage();
    await shopper.goto('/?q=candle');
    await shopper.getByRole('link', { name: 'Brass Candle Holder' }).click();
    await shopper.getByRole('heading', { name: 'Brass Candle Holder' }).waitFor();
    await shopper.getByText('$18.75').waitFor();
    await shopper.getByText('In stock').waitFor();
    await shopper.context().close();

    await page.getByRole('link', { name: 'Low stock' }).click();
    await page.getByRole('link', { name: 'Stoneware Mug' }).waitFor();
    await assertAccessible(page, 'low stock');
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('cell', { name: 'admin', exact: true }).first().waitFor();
    await assertAccessible(page, 'users');
    await screenshot(page, 'admin-users');
    for (const name of ['Notifications', 'Analytics']) {
      await page.getByRole('link', { name }).click();
      await page.locator('.empty, .problem, .raw').first().waitFor();
      await assertAccessible(page, name);
    }
    await context.close();
  });

  test("an admin ships an order and the customer's open order page shows shipped without a reload", async () => {
    const { me, order } = await placeOrder('adm_shipper');
    const customer = await (
      await contextFor(browser, shop, { as: { username: 'adm_shipper', password: 'a-good-password' } })
    ).newPage();
    await customer.goto(`/orders/${order.id}`);
    const current = customer.locator('.timeline [aria-current="step"]');
    await current.filter({ hasText: 'Processing' }).waitFor();
    await customer.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));

    const context = await contextFor(browser, shop, { as: admin });
    const page = await context.newPage();
    await page.goto('/admin/orders?status=processing');
    await page.getByRole('link', { name: `#${order.id}` }).click();
    await page.getByRole('heading', { name: `Order #${order.id}` }).waitFor();
    await assertAccessible(page, 'admin order');
    await screenshot(page, 'admin-order');
    await page.getByRole('button', { name: 'Mark shipped' }).click();
    await page.getByRole('button', { name: 'Mark delivered' }).waitFor();

    await current.filter({ hasText: 'Shipped' }).waitFor();
    assert.equal(await customer.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed), true);
    assert.equal((await shop.call('GET', `/api/orders/${order.id}`, undefined, me.auth)).json.status, 'shipped');

    await page.getByRole('link', { name: 'All orders' }).click();
    await page.getByRole('link', { name: `#${order.id}` }).waitFor();
    await assertAccessible(page, 'admin orders');
    await screenshot(page, 'admin-orders');
    await context.close();
    await customer.context().close();
  });

  test('a customer opening /admin gets nothing from the API', async () => {
    await placeOrder('adm_victim');
    await shop.login('adm_nosy');
    const context = await contextFor(browser, shop, { as: { username: 'adm_nosy', password: 'a-good-password' } });
    const page = await context.newPage();
    const answers: Response[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) answers.push(r);
    });
    for (const path of ['/admin/orders', '/admin/users']) {
      await page.goto(path);
      await page.getByText('is not a staff account').waitFor();
      // Wait for this page's own list call: the previous page's answer must not satisfy it.
      const list = `/api/${path.split('/').pop()}`;
      await until(`${path} asked the API`, async () => answers.some((r) => new URL(r.url()).pathname === list));
      await page.getByRole('alert').filter({ hasText: 'admin' }).last().waitFor();
      assert.equal(await page.locator('table').count(), 0, `${path} shows no rows`);
    }
    const lists = answers.filter((r) => /^\/api\/(orders|users)$/.test(new URL(r.url()).pathname));
    assert.ok(lists.length >= 2);
    for (const r of lists) assert.equal(r.status(), 403, r.url());
    // The same token straight at the API: every admin action is refused too.
    const statuses = await page.evaluate(async (productId) => {
      const token = JSON.parse(localStorage.getItem('emporium.session')!).accessToken as string;
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const call = (method: string, url: string, body?: unknown) =>
        fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }).then(
          (r) => r.status,
        );
      return [
        await call('GET', '/api/users'),
        await call('GET', '/api/orders'),
        await call('PATCH', `/api/products/${productId}/stock`, { delta: 100 }),
        await call('POST', '/api/products', { name: 'x', price: 1, category: 'x', sku: 'NOPE-1' }),
      ];
    }, catalog.lamp.id);
    assert.deepEqual(statuses, [403, 403, 403, 403]);
    assert.equal(await shop.stockOf(catalog.lamp.id), 5);
    await context.close();
  });
});

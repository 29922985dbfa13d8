import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startShop, type Shop } from '../checkout/shop.ts';
import { assertAccessible, contextFor, launch, screenshot, skip, stockShop, until } from './browser.ts';

// A customer's whole visit in a real browser against the real shop (services, PostgreSQL, DynamoDB API, Kafka).
let shop: Shop;
let browser: Browser;
let catalog: Awaited<ReturnType<typeof stockShop>>;
before(
  async () => {
    if (skip) return;
    shop = await startShop();
    catalog = await stockShop(shop, 'SF');
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

async function fillAddress(page: Page) {
  await page.getByLabel('Address line 1').fill('1 High Street');
  await page.getByLabel('City', { exact: true }).fill('London');
  await page.getByLabel('Postal code (optional)').fill('N1 1AA');
  await page.getByLabel('Country').selectOption('GB');
}

const ordersOf = async (userId: number, auth: Record<string, string>) =>
  (await shop.call('GET', `/api/orders/user/${userId}?limit=100`, undefined, auth)).json.items as Array<{
    id: number;
    status: string;
  }>;

async function signUpAndLogin(name: string) {
  const me = await shop.login(name);
  return { ...me, creds: { username: name, password: 'a-good-password' } };
}

describe('storefront', { skip }, () => {
  test('browse, search, add two, sign up, check out, see processing, cancel, see the refund and the stock back', async () => {
    const context = await contextFor(browser, shop);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('heading', { name: 'All products' }).waitFor();
    await page.getByRole('link', { name: 'Walnut Desk Lamp' }).waitFor();
    await assertAccessible(page, 'catalog');
    // Keyboard: the first Tab reaches the skip link, which takes focus past the header.
    await page.keyboard.press('Tab');
    const focused = () => page.evaluate<string>("document.activeElement?.textContent?.trim() ?? ''");
    assert.equal(await focused(), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate<string>('document.activeElement?.id'), 'main');
    await screenshot(page, 'storefront-catalog');

    await page.getByLabel('Category').selectOption('Kitchen');
    await page.getByLabel('In stock only').check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('heading', { name: 'Kitchen' }).waitFor();
    const cards = async () => (await page.locator('.card-name').allTextContents()).sort().join();
    await until('Kitchen in stock', async () => (await cards()) === 'Copper Kettle,Oak Cutting Board');
    await page.getByLabel('Max price').fill('50');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await until('Kitchen in stock up to $50', async () => (await cards()) === 'Oak Cutting Board');

    await page.getByRole('searchbox', { name: 'Search products' }).fill('lamp');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Results for “lamp”' }).waitFor();
    await until('the search shows one product', async () => (await page.locator('.card').count()) === 1);
    await page.getByRole('button', { name: 'Add to cart: Walnut Desk Lamp' }).click();

    await page.getByRole('searchbox', { name: 'Search products' }).fill('pillow');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Linen Throw Pillow' }).click();
    await page.getByRole('heading', { name: 'Linen Throw Pillow' }).waitFor();
    await page.getByText('$24.50').first().waitFor();
    await assertAccessible(page, 'product page');
    await screenshot(page, 'storefront-product');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('link', { name: 'View cart' }).click();

    await page.getByRole('heading', { name: 'Your cart' }).waitFor();
    assert.equal(await page.locator('.line').count(), 2);
    await page.getByText('$74.49').waitFor();
    await assertAccessible(page, 'cart');
    await screenshot(page, 'storefront-cart');
    await page.getByRole('button', { name: 'Check out' }).click();

    // Not signed in: checkout sends the shopper to sign in, and on to sign up, then back.
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await assertAccessible(page, 'sign in');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    await page.getByLabel('Username').fill('web_shopper');
    await page.getByLabel('Email').fill('shopper@example.com');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Password must be 8 to 72 bytes long').waitFor();
    await assertAccessible(page, 'sign up with an error');
    await page.getByLabel('Password').fill('a-good-password');
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    await fillAddress(page);
    await assertAccessible(page, 'checkout');
    await screenshot(page, 'storefront-checkout');
    await page.getByRole('button', { name: 'Place order' }).click();

    await page.getByRole('heading', { name: 'Thank you for your order' }).waitFor();
    const current = page.locator('.timeline [aria-current="step"]');
    assert.equal((await current.textContent())?.startsWith('Processing'), true);
    await page.getByText('Paid').waitFor();
    await assertAccessible(page, 'confirmation');
    await screenshot(page, 'storefront-order');
    const orderId = Number(/\/orders\/(\d+)\//.exec(page.url())![1]);
    assert.deepEqual([await shop.stockOf(catalog.lamp.id), await shop.stockOf(catalog.pillow.id)], [4, 7]);
    await page.getByRole('link', { name: 'Cart' }).waitFor();
    assert.equal(await page.locator('.count').count(), 0, 'the cart is empty after the order');

    await page.getByRole('button', { name: 'Cancel order' }).click();
    await page.getByRole('button', { name: 'Yes, cancel order' }).click();
    await current.filter({ hasText: 'Cancelled' }).waitFor();
    await page.getByText('Cancelled because you cancelled it.').waitFor();
    await page.getByText('Refunded', { exact: true }).waitFor();
    await page.getByText('$74.49 refunded').waitFor();
    assert.deepEqual([await shop.stockOf(catalog.lamp.id), await shop.stockOf(catalog.pillow.id)], [5, 8]);

    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByRole('link', { name: `Order #${orderId}` }).waitFor();
    await assertAccessible(page, 'order history');
    await screenshot(page, 'storefront-orders');
    await context.close();
  });

  test('a declined card shows a clear message and leaves no order in the history', async () => {
    const me = await signUpAndLogin('web_declined');
    const context = await contextFor(browser, shop, { as: me.creds });
    const page = await context.newPage();
    await page.goto(`/products/${catalog.kettle.id}`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.goto('/checkout');
    await fillAddress(page);
    await page.getByLabel('Test card that is declined').check();
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('alert').filter({ hasText: 'Your card was declined' }).waitFor();
    await assertAccessible(page, 'declined checkout');
    assert.equal(await shop.stockOf(catalog.kettle.id), 3);

    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByText('No orders yet').waitFor();
    assert.equal(await page.locator('table').count(), 0);
    await context.close();
  });

  test('a double-clicked "Place order" makes one order', async () => {
    const me = await signUpAndLogin('web_double');
    const context = await contextFor(browser, shop, { as: me.creds });
    const page = await context.newPage();
    await page.goto(`/products/${catalog.board.id}`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.goto('/checkout');
    await fillAddress(page);
    await page.getByRole('button', { name: 'Place order' }).dblclick();
    await page.getByRole('heading', { name: 'Thank you for your order' }).waitFor();
    const orders = await ordersOf(me.id, me.auth);
    assert.equal(orders.length, 1);
    assert.equal(await shop.stockOf(catalog.board.id), 11);
    await context.close();
  });

  test('an expired access token is renewed once, even by two tabs at the same moment', async () => {
    await shop.login('web_refresh');
    const login = await shop.call('POST', '/api/users/login', { username: 'web_refresh', password: 'a-good-password' });
    const stale = {
      user: login.json.user,
      accessToken: 'an.expired.token',
      refreshToken: login.json.refresh_token as string,
      expiresAt: Date.now() - 1000,
    };
    const context = await contextFor(browser, shop);
    // Seeded from a page of the origin that runs no app, so nothing refreshes before both tabs start.
    const seeder = await context.newPage();
    await seeder.goto('/favicon.svg');
    await seeder.evaluate((v) => localStorage.setItem('emporium.session', v), JSON.stringify(stale));
    await seeder.close();
    const tabs = [await context.newPage(), await context.newPage()];
    await Promise.all(tabs.map((tab) => tab.goto('/orders')));
    for (const tab of tabs) await tab.getByText('No orders yet').waitFor();
    const stored = JSON.parse((await tabs[0]!.evaluate(() => localStorage.getItem('emporium.session')))!);
    assert.notEqual(stored.refreshToken, stale.refreshToken);
    // Had both tabs spent the old token, its family would be revoked and the stored one refused.
    const again = await shop.call('POST', '/api/users/refresh', { refresh_token: stored.refreshToken });
    assert.equal(again.status, 200, JSON.stringify(again.json));
    await context.close();
  });

  test('account, messages and password reset pages are usable and accessible', async () => {
    const me = await signUpAndLogin('web_profile');
    const context = await contextFor(browser, shop, { as: me.creds });
    const page = await context.newPage();
    await page.goto('/account');
    await page.getByLabel('Full name').fill('Pat Profile');
    await page.getByLabel('Phone').fill('not a phone');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Phone is not in the right format').waitFor();
    await assertAccessible(page, 'profile with an error');
    await page.getByLabel('Phone').fill('+1 555 0100');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.equal((await shop.call('GET', '/api/users/me', undefined, me.auth)).json.full_name, 'Pat Profile');
    await screenshot(page, 'storefront-account');

    await page.getByLabel('Email').fill('new-address@example.com');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Current password is missing or wrong').waitFor();

    await page.goto('/messages');
    await page.getByRole('heading', { name: 'Messages' }).waitFor();
    await page.locator('.empty, .problem').first().waitFor();
    await assertAccessible(page, 'messages');

    await page.goto('/forgot-password');
    await page.getByLabel('Email').fill('web_profile@example.com');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText('a reset link is on its way').waitFor();
    await assertAccessible(page, 'forgot password');
    await page.goto('/reset-password?token=not-a-real-token');
    await page.getByLabel('New password').fill('another-good-one');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('alert').waitFor();
    await assertAccessible(page, 'reset password');
    await page.goto('/no-such-page');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await assertAccessible(page, 'not found');
    await context.close();
  });
});
